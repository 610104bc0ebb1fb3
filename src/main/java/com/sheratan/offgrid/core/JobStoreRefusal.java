package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

/**
 * The job store refused to record what the mesh did with a job. That is no failure of the broker, so
 * the job is never sent to the file queue for it (the local worker would run it a second time). Instead the reason is logged at
 * ERROR, the job is recorded {@code failed} with it — if the store takes even that; if not, the job
 * keeps the status it has and the next start of the core marks it failed — and the caller gets
 * {@code 500 {job_id, method, status, reason, detail, result}}.
 */
record JobStoreRefusal(String jobId, String code, String detail) {
    private static final int CAUSE_CHARS = 300;

    /** {@code detail} = code, what happened, and the first line of the store's error (the reason column is bounded). */
    static JobStoreRefusal of(String jobId, String code, String what, RuntimeException cause) {
        String first = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        return new JobStoreRefusal(jobId, code, code + ": " + what + " (" + first.substring(0,
                Math.min(first.length(), CAUSE_CHARS)) + ")");
    }

    void answer(Exchange exchange, JobRecorder recorder, JobStatus statusAsItStands, ObjectNode result, Logger log) {
        JobStatus status = JobStatus.FAILED;
        try {
            recorder.finish(jobId, JobStatus.FAILED, "offgrid", detail, result);
        } catch (RuntimeException again) {
            status = statusAsItStands;
            log.error("job {} stays '{}' in the job store, which cannot record it failed either ({}); the next start"
                    + " of the core marks it failed", jobId, status, again.getMessage());
        }
        ObjectNode reply = Json.object();
        reply.put("job_id", jobId);
        reply.put("method", "offgrid");
        reply.put("status", status.value());
        reply.put("reason", code);
        reply.put("detail", detail);
        reply.set("result", result);
        new JsonAnswer(500, reply).writeTo(exchange.getMessage());
    }
}
