package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The broker ran the job: records it {@code completed} (or {@code failed} when the host's own
 * {@code ok} is false) and answers {@code 200} with the result of SPEC section 5. When the job store
 * cannot record that, the job is NOT queued (the local worker would run it a second time): it ends
 * {@code failed} with reason {@code result_not_recorded} and the result ({@link JobStoreRefusal}).
 */
public final class BrokerResult implements Processor {
    private static final Logger LOG = EscapingLogger.of(BrokerResult.class);
    static final String NOT_RECORDED = "result_not_recorded";

    private final JobRecorder recorder;
    private final CoreMeters meters;
    private final RecentAuctions auctions;

    public BrokerResult(JobRecorder recorder, CoreMeters meters, RecentAuctions auctions) {
        this.recorder = recorder;
        this.meters = meters;
        this.auctions = auctions;
    }

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        JsonNode answer = exchange.getProperty(CoreExchange.BROKER_ANSWER, JsonNode.class);
        boolean ok = answer.path("ok").asBoolean(false);
        JobStatus status = ok ? JobStatus.COMPLETED : JobStatus.FAILED;

        ObjectNode result = Json.object();
        result.put("ok", ok);
        result.put("action", "text_result");
        result.set("text", answer.get("output"));
        result.set("host", answer.get("host"));
        result.set("node_id", answer.get("node_id"));
        result.set("offgrid_receipt", answer.get("receipt"));
        ObjectNode metrics = result.putObject("metrics");
        metrics.set("quote", answer.get("quote"));
        Long started = exchange.getProperty(CoreExchange.STARTED_NANOS, Long.class);
        metrics.put("elapsed_ms", started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        metrics.set("tried", answer.path("auction").get("tried"));
        metrics.put("req_id", exchange.getProperty(CoreExchange.REQ_ID, String.class));
        result.set("host_result", answer.get("result"));
        // the broker's ledger entry for this run (SPEC 12): kept with the job, shown as its cost
        JobCost cost = JobCost.fromBrokerLedger(answer.get("ledger"));
        if (cost != null) {
            result.set("offgrid_ledger", answer.get("ledger"));
        }

        String reason = ok ? null : hostError(answer);
        auctions.add(jobId, answer);
        try {
            recorder.finish(jobId, status, "offgrid", reason, result, cost);
        } catch (RuntimeException e) {
            JobStoreRefusal refusal = JobStoreRefusal.of(jobId, NOT_RECORDED, "the mesh ran the job (" + status + " by "
                    + answer.path("node_id").asText("?") + ") but the job store could not record that", e);
            LOG.error("job {}: {}; not queued, so it does not run twice; result: {}", jobId, refusal.detail(), result, e);
            meters.outcome(exchange, "offgrid", JobStatus.FAILED, NOT_RECORDED);
            refusal.answer(exchange, recorder, JobStatus.DISPATCHING, result, LOG);
            return;
        }
        meters.outcome(exchange, "offgrid", status, reason);
        LOG.info("job {} -> broker -> {} by {} ({}){}", jobId, status, answer.path("node_id").asText("?"),
                answer.path("host").asText("?"), ok ? "" : ": " + reason);

        ObjectNode reply = Json.object();
        reply.put("job_id", jobId);
        reply.put("method", "offgrid");
        reply.put("status", status.value());
        reply.set("host", answer.get("host"));
        reply.set("node_id", answer.get("node_id"));
        reply.set("result", result);
        new JsonAnswer(200, reply).writeTo(exchange.getMessage());
    }

    private static String hostError(JsonNode answer) {
        for (JsonNode where : new JsonNode[] {answer, answer.path("result")}) {
            if (where.hasNonNull("error_code")) {
                String error = where.path("error").asText("");
                return where.get("error_code").asText() + (error.isEmpty() ? "" : ": " + error);
            }
        }
        return answer.path("error").asText("host_failed");
    }
}
