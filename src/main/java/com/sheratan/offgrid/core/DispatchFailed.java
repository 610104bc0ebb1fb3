package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The dead-letter endpoint in {@code OFFGRID_MODE=offgrid}: the mesh could not take the job, so it
 * ends {@code failed} with the reason — kept in the store, retryable by submitting it again, never
 * queued — and the caller gets {@code 503}.
 */
public final class DispatchFailed implements Processor {
    private static final Logger LOG = EscapingLogger.of(DispatchFailed.class);

    private final JobRecorder recorder;
    private final CoreMeters meters;

    public DispatchFailed(JobRecorder recorder, CoreMeters meters) {
        this.recorder = recorder;
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        FallbackReason reason = FallbackReason.of(exchange);
        recorder.finish(jobId, JobStatus.FAILED, "offgrid", reason.code(), null);
        meters.outcome(exchange, "offgrid", JobStatus.FAILED, reason.code());
        LOG.warn("job {} failed, not queued (OFFGRID_MODE=offgrid): {} ({})", jobId, reason.code(), reason.detail());
        ObjectNode reply = Json.object();
        reply.put("job_id", jobId);
        reply.put("status", JobStatus.FAILED.value());
        reply.put("reason", reason.code());
        reply.put("detail", reason.detail());
        new JsonAnswer(503, reply).writeTo(exchange.getMessage());
    }
}
