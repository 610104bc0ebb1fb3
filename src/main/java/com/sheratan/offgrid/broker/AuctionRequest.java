package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the broker needs of an Offgrid request (SPEC section 3). {@code job} is the JobSpec as it
 * came, forwarded to the winner untouched; {@code missionId} and {@code taskId} (from {@code meta},
 * may be null) name who pays in the ledger.
 */
public record AuctionRequest(String jobId, String type, double size, long latencyMs, String kind, JsonNode job,
                             String reqId, String missionId, String taskId) {
    /** The JobSpec's {@code attempt_id}, or null when it has none. */
    public String attemptId() {
        JsonNode attempt = job.get("attempt_id");
        return attempt != null && attempt.isTextual() ? attempt.asText() : null;
    }
}
