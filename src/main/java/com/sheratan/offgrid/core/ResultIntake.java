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
        String refused = complete(jobId, exchange.getMessage().getBody(byte[].class), "webrelay_in/" + name);
        if (refused != null) {
            ReasonNote.reject(exchange, resultsDir, refused, LOG);
            return;
        }
        exchange.setProperty(CoreExchange.FILE_OUTCOME, ReasonNote.DONE);
    }

    /**
     * Completes job {@code jobId} with the worker's result {@code bytes} (from {@code where}, for the log);
     * answers why the result was refused, or null when it was taken (or the job was already completed).
     */
    String complete(String jobId, byte[] bytes, String where) {
        JsonNode result;
        try {
            result = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            return "malformed JSON: " + e.getMessage();
        }
        if (result == null || !result.isObject() || !result.path("ok").isBoolean()) {
            return "a result must be a JSON object with a boolean 'ok'";
        }
        Optional<JobRecord> job = lookup.find(jobId);
        if (job.isEmpty()) {
            return "no job with job_id '" + jobId + "' is known to this core";
        }
        if (job.get().status() == JobStatus.COMPLETED) {
            LOG.warn("result for job {} ignored ({}): the job is already completed", jobId, where);
            return null;
        }
        boolean ok = result.get("ok").asBoolean();
        String reason = ok ? null : result.path("error").asText(result.path("error_code").asText("worker_failed"));
        recorder.finish(jobId, ok ? JobStatus.COMPLETED : JobStatus.FAILED, "file_queue", reason, result);
        LOG.info("job {} {} by the local worker ({})", jobId, ok ? "completed" : "failed", where);
        return null;
    }
}
