package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real broker on a free loopback port in the test's folder, and the signed calls a core would make. */
final class BrokerUnderTest implements AutoCloseable {
    final TestRoles roles;
    final Http http = new Http();
    final RequestSigner signer;
    RunningRole broker;

    BrokerUnderTest(Path home) {
        this(home, Map.of(), AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default"));
    }

    BrokerUnderTest(Path home, Map<String, String> env, AuthKeys callerKeys) {
        this.roles = new TestRoles(home, env);
        this.signer = new RequestSigner(callerKeys);
    }

    /** Writes discovery/mesh_hosts.json as an object keyed by URL: {url: {node_id, via}}. */
    BrokerUnderTest discover(StandInHost... hosts) {
        writeDiscovery(roles.home(), hosts);
        return this;
    }

    void writeDiscovery(String content) {
        writeDiscovery(roles.home(), content);
    }

    static void writeDiscovery(Path home, StandInHost... hosts) {
        ObjectNode file = Json.mapper().createObjectNode();
        for (StandInHost host : hosts) {
            file.putObject(host.url()).put("node_id", host.nodeId).put("via", "udp").put("active", true);
        }
        writeDiscovery(home, file.toString());
    }

    static void writeDiscovery(Path home, String content) {
        try {
            Path file = home.resolve("discovery/mesh_hosts.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Short timeouts, a rare health probe and a discovery file looked at often: what broker tests run with. */
    static final Map<String, String> TEST_SETTINGS = Map.of(
            "offgrid.broker.quote-timeout-ms", "1000",
            "offgrid.broker.run-timeout-ms", "5000",
            "offgrid.broker.health-interval-ms", "60000",
            "offgrid.broker.discovery-check-ms", "50");

    BrokerUnderTest start(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(TEST_SETTINGS);
        all.putAll(overrides);
        broker = roles.broker(all);
        return this;
    }

    BrokerUnderTest start() {
        return start(Map.of());
    }

    String url(String path) {
        return broker.baseUrl() + path;
    }

    HttpResponse<String> auction(String body) {
        return auction(http, signer, url("/auction"), body);
    }

    /** {@code POST /auction} signed as the core signs it. */
    static HttpResponse<String> auction(Http http, RequestSigner signer, String auctionUrl, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(signer.sign("POST", "/auction", "broker", bytes).asMap());
        headers.put("Content-Type", "application/json");
        return http.post(auctionUrl, bytes, headers);
    }

    HttpResponse<String> get(String path) {
        return http.get(url(path));
    }

    /** An Offgrid request as the core sends it (SPEC section 3). */
    static String request(String jobId, String kind) {
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("job_id", jobId);
        request.put("type", "compute");
        request.put("size", 0.1);
        request.put("latency_ms", 5000);
        request.putObject("constraints").put("max_latency_ms", 5000).put("min_mesh_health", false);
        request.putObject("meta").put("kind", kind).put("core_version", "v2").putNull("mission_id").putNull("task_id");
        ObjectNode job = request.putObject("job");
        job.put("contract_version", 1);
        job.put("job_id", jobId);
        job.put("req_uid", "uid-" + jobId);
        job.put("attempt_id", "attempt-" + jobId);
        job.put("kind", kind);
        job.putObject("args").put("text", "hello \u00e9");
        job.put("deadline_ts", System.currentTimeMillis() / 1000 + 300);
        job.put("claim_token", "0".repeat(64));
        request.put("req_id", "req-" + jobId);
        return request.toString();
    }

    @Override
    public void close() {
        roles.close();
    }
}
