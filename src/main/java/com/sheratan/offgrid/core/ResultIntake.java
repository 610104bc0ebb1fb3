package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * {@code webrelay_in/<job_id>.result.json} from the local worker completes a queued job
 * ({@code ok:false} = failed); the file then moves aside to {@code .done/} (or {@code .error/} with a
 * reason when it is unreadable or names no known job).
 */
public final class ResultIntake implements Processor {
    private static final Logger LOG = EscapingLogger.of(ResultIntake.class);
    static final String SUFFIX = ".result.json";

    private final JobRecorder recorder;
    private final JobLookup lookup;
    private final Path resultsDir;

    public ResultIntake(JobRecorder recorder, JobLookup lookup, Path resultsDir) {
        this.recorder = recorder;
        this.lookup = lookup;
        this.resultsDir = resultsDir;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String jobId = name.substring(0, name.length() - SUFFIX.length());
        JsonNode result;
        try {
            result = Json.mapper().readTree(exchange.getMessage().getBody(byte[].class));
        } catch (IOException e) {
            ReasonNote.reject(exchange, resultsDir, "malformed JSON: " + e.getMessage(), LOG);
            return;
        }
        if (result == null || !result.isObject() || !result.path("ok").isBoolean()) {
            ReasonNote.reject(exchange, resultsDir, "a result must be a JSON object with a boolean 'ok'", LOG);
            return;
        }
        Optional<JobRecord> job = lookup.find(jobId);
        if (job.isEmpty()) {
            ReasonNote.reject(exchange, resultsDir, "no job with job_id '" + jobId + "' is known to this core", LOG);
            return;
        }
        exchange.setProperty(CoreExchange.FILE_OUTCOME, ReasonNote.DONE);
        if (job.get().status() == JobStatus.COMPLETED) {
            LOG.warn("result file for job {} ignored: the job is already completed", jobId);
            return;
        }
        boolean ok = result.get("ok").asBoolean();
        String reason = ok ? null : result.path("error").asText(result.path("error_code").asText("worker_failed"));
        recorder.finish(jobId, ok ? JobStatus.COMPLETED : JobStatus.FAILED, "file_queue", reason, result);
        LOG.info("job {} {} by the local worker (webrelay_in/{})", jobId, ok ? "completed" : "failed", name);
    }
}
