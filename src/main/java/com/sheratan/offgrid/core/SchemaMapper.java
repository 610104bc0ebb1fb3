package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.LogContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.JobMeasure;
import com.sheratan.offgrid.contract.JobSpec;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.ClaimToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Maps a core job to the Offgrid request of SPEC section 3, row by row. As a route step it reads the
 * job from the exchange and leaves the request (and its exact bytes) in exchange properties: a new
 * {@code attempt_id} and {@code req_id} per dispatch, reused by the broker retries of that dispatch
 * (an interrupted dispatch resumed after a crash keeps its attempt_id). A job bound for the broker
 * brings the ids it was recorded with at intake; a job for the file queue gets them here.
 */
public final class SchemaMapper implements Processor {
    static final long DEADLINE_SECONDS = 300;
    static final String CORE_VERSION = "v2";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String signingSecret;
    private final Clock clock;

    public SchemaMapper(String signingSecret, Clock clock) {
        this.signingSecret = signingSecret;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        ObjectNode job = exchange.getProperty(CoreExchange.JOB, ObjectNode.class);
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        String chosen = exchange.getProperty(CoreExchange.ATTEMPT_ID, String.class);
        String attemptId = chosen != null ? chosen : UUID.randomUUID().toString();
        String reqId = exchange.getProperty(CoreExchange.REQ_ID, String.class);
        OffgridRequest request = map(jobId, job, attemptId, reqId != null ? reqId : UUID.randomUUID().toString());
        exchange.setProperty(CoreExchange.REQUEST, request);
        exchange.setProperty(CoreExchange.REQUEST_BYTES, Json.mapper().writeValueAsBytes(request));
        exchange.setProperty(CoreExchange.REQ_ID, request.reqId());
        LogContext.job(jobId, request.reqId());
        exchange.setProperty(CoreExchange.ATTEMPT_ID, request.job().attemptId());
    }

    public OffgridRequest map(String jobId, ObjectNode job, String attemptId, String reqId) {
        String kind = kind(job);
        ObjectNode payload = object(job.get("payload"));
        ObjectNode params = object(job.get("params"));
        ObjectNode merged = params.deepCopy();
        merged.setAll(payload);

        ObjectNode constraints = NODES.objectNode();
        constraints.put("max_latency_ms", 5000);
        constraints.put("min_mesh_health", false);
        constraints.setAll(object(params.get("constraints")));
        constraints.setAll(object(payload.get("constraints")));
        constraints.setAll(object(job.get("constraints")));
        JsonNode latency = constraints.get("max_latency_ms");
        long latencyMs = latency != null && latency.isNumber() ? latency.asLong() : 5000;

        long deadlineTs = clock.instant().getEpochSecond() + DEADLINE_SECONDS;
        JsonNode args = isFileWrite(kind) ? fileWriteArgs(payload, params) : merged;
        JobSpec spec = new JobSpec(JobSpec.CONTRACT_VERSION, jobId, reqId, attemptId, kind, args, deadlineTs,
                ClaimToken.compute(signingSecret, jobId, attemptId, deadlineTs));
        OffgridRequest.Meta meta = new OffgridRequest.Meta(text(job.get("mission_id")), text(job.get("task_id")),
                kind, CORE_VERSION);
        return new OffgridRequest(jobId, JobMeasure.type(kind), JobMeasure.size(kind, args), latencyMs, constraints,
                meta, spec, reqId);
    }

    /** The job's kind; a missing kind means {@code llm_call}. */
    static String kind(ObjectNode job) {
        JsonNode kind = job.get("kind");
        return kind != null && kind.isTextual() && !kind.asText().isEmpty() ? kind.asText() : "llm_call";
    }

    private static boolean isFileWrite(String kind) {
        return kind.equals("write_file") || kind.equals("rewrite_file");
    }

    /** What the original hosts expect of a file write: {@code {path, content_b64, limit_mb}}. */
    static ObjectNode fileWriteArgs(ObjectNode payload, ObjectNode params) {
        ObjectNode args = NODES.objectNode();
        JsonNode path = first(payload.get("path"), payload.get("file"), params.get("path"), params.get("file"));
        args.set("path", path == null ? NODES.nullNode() : path);
        JsonNode content = first(payload.get("content"), params.get("content"));
        JsonNode contentB64 = first(payload.get("content_b64"), params.get("content_b64"));
        if (content != null && content.isTextual()) {
            args.put("content_b64", Base64.getEncoder().encodeToString(content.asText().getBytes(StandardCharsets.UTF_8)));
        } else {
            args.set("content_b64", contentB64 == null ? NODES.textNode("") : contentB64);
        }
        JsonNode limit = first(payload.get("limit_mb"), params.get("limit_mb"));
        args.set("limit_mb", limit == null ? NODES.numberNode(10) : limit);
        return args;
    }

    private static JsonNode first(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate != null && !candidate.isNull()) {
                return candidate;
            }
        }
        return null;
    }

    private static ObjectNode object(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : NODES.objectNode();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
