package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.util.UUID;

/** Reads the raw body of {@code POST /auction} into an {@link AuctionRequest}, or says what is wrong with it. */
public final class AuctionRequestReader {
    public AuctionRequest read(byte[] body, String requestIdHeader) {
        final JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new InvalidAuctionRequest("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAuctionRequest("the body must be a JSON object (an Offgrid request)");
        }
        JsonNode jobId = root.get("job_id");
        if (jobId == null || !jobId.isTextual() || jobId.asText().isBlank()) {
            throw new InvalidAuctionRequest("job_id is missing or not a non-empty string");
        }
        JsonNode job = root.get("job");
        if (job == null || !job.isObject()) {
            throw new InvalidAuctionRequest("job is missing or not an object (the JobSpec to run)");
        }
        String type = text(root.get("type"), "compute");
        double size = number(root.get("size"), "size", 0.1);
        long latencyMs = (long) number(root.get("latency_ms"), "latency_ms", 5000);
        String kind = text(job.get("kind"), text(root.path("meta").get("kind"), "llm_call"));
        String reqId = text(root.get("req_id"), requestIdHeader != null && !requestIdHeader.isBlank()
                ? requestIdHeader.strip() : UUID.randomUUID().toString());
        JsonNode meta = root.path("meta");
        return new AuctionRequest(jobId.asText(), type, size, latencyMs, kind, job, reqId,
                scalar(meta.get("mission_id")), scalar(meta.get("task_id")));
    }

    /** A mission or task id as the core's job gave it: a string, or a number or boolean as its text. */
    private static String scalar(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static String text(JsonNode node, String fallback) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText().strip() : fallback;
    }

    private static double number(JsonNode node, String name, double fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
            throw new InvalidAuctionRequest(name + " must be a number of at least 0");
        }
        return node.asDouble();
    }
}
