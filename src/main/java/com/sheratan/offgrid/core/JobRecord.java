package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.time.Instant;

/** One job as the store keeps it; {@link #toJson()} is what {@code GET /api/jobs/{id}} answers. */
public record JobRecord(String jobId, String kind, JobStatus status, String method, String reason, int attempts,
                        String source, String reqId, String attemptId, Instant createdAt, Instant updatedAt,
                        JsonNode result, String jobFile) {

    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("job_id", jobId);
        json.put("kind", kind);
        json.put("status", status.value());
        json.put("method", method);
        json.put("reason", reason);
        json.put("attempts", attempts);
        json.put("source", source);
        json.put("req_id", reqId);
        json.put("attempt_id", attemptId);
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        json.put("job_file", jobFile);
        json.set("result", result);
        JobCost cost = result == null ? null : JobCost.fromBrokerLedger(result.get("offgrid_ledger"));
        json.set("cost", cost == null ? null : cost.toJson());
        return json;
    }
}
