package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Calls a real host the way the broker does: JobSpecs with claim tokens, signed {@code POST /run}. */
final class HostCalls {
    static final String SECRET = "shared-secret";
    static final AuthKeys KEYS = AuthKeys.parse(SECRET, "", "default");

    final Http http = new Http();
    private final String baseUrl;
    private final RequestSigner signer = new RequestSigner(KEYS);
    /** The host's node id, the audience its signed requests name; asked of GET /status when not given. */
    private String nodeId;

    HostCalls(RunningRole host) {
        this(host.baseUrl());
        this.nodeId = host.name();
    }

    HostCalls(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    private String nodeId() {
        if (nodeId == null) {
            nodeId = Http.json(get("/status")).get("node_id").asText();
        }
        return nodeId;
    }

    /** A JobSpec v1 as the core makes it: fresh attempt, deadline in 300 s, valid claim token. */
    static ObjectNode job(String kind, Map<String, ?> args) {
        return job(kind, args, Instant.now().getEpochSecond() + 300);
    }

    static ObjectNode job(String kind, Map<String, ?> args, long deadlineTs) {
        String jobId = "job-" + UUID.randomUUID();
        String attemptId = UUID.randomUUID().toString();
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("contract_version", 1);
        job.put("job_id", jobId);
        job.put("req_uid", "req-" + UUID.randomUUID());
        job.put("attempt_id", attemptId);
        job.put("kind", kind);
        job.set("args", Json.mapper().valueToTree(args));
        job.put("deadline_ts", deadlineTs);
        job.put("claim_token", ClaimToken.compute(SECRET, jobId, attemptId, deadlineTs));
        return job;
    }

    static byte[] runBody(ObjectNode job) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("job_id", job.get("job_id").asText());
        body.set("job", job);
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> run(ObjectNode job) {
        return postSigned("/run", runBody(job));
    }

    HttpResponse<String> postSigned(String path, byte[] body) {
        return http.post(baseUrl + path, body, signedHeaders(path, body));
    }

    Map<String, String> signedHeaders(String path, byte[] body) {
        Map<String, String> headers = new HashMap<>(signer.sign("POST", path, nodeId(), body).asMap());
        headers.put("Content-Type", "application/json");
        return headers;
    }

    HttpResponse<String> get(String pathWithQuery) {
        return http.get(baseUrl + pathWithQuery);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
