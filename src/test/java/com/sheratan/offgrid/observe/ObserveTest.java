package com.sheratan.offgrid.observe;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 14: health and metrics on every role, over real HTTP. */
class ObserveTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private TestRoles roles;

    @AfterEach
    void stop() {
        if (roles != null) {
            roles.close();
        }
    }

    @Test
    void everyRoleAnswersHealthLiveReadyAndPrometheusMetrics() throws IOException {
        Files.createDirectories(home.resolve("discovery"));
        roles = new TestRoles(home);
        RunningRole host = roles.host("host-a", Map.of());
        Files.writeString(home.resolve("discovery/mesh_hosts.json"),
                "{\"" + host.baseUrl() + "\":{\"node_id\":\"host-a\"}}");
        RunningRole broker = roles.broker(Map.of());
        RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl(),
                "offgrid.core.inbox-poll-ms", "100"));

        for (RunningRole role : new RunningRole[] {core, broker, host}) {
            Eventually.holds(() -> {
                HttpResponse<String> health = http.get(role.baseUrl() + "/observe/health");
                assertEquals(200, health.statusCode(), role.name() + ": " + health.body());
                assertEquals("UP", json(health).path("status").asText(), health.body());
            });
            assertEquals(200, http.get(role.baseUrl() + "/observe/health/live").statusCode());
            assertEquals(200, http.get(role.baseUrl() + "/observe/health/ready").statusCode());
            HttpResponse<String> metrics = http.get(role.baseUrl() + "/observe/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    metrics.headers().toString());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), role.name() + " has no JVM meters");
        }
        JsonNode checks = json(http.get(core.baseUrl() + "/observe/health")).path("checks");
        assertTrue(checks.toString().contains("job-store-writable"), checks.toString());
        assertTrue(checks.toString().contains("file-queue-writable"), checks.toString());

        HttpResponse<String> done = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"metered-1\",\"kind\":\"echo\",\"payload\":{\"text\":\"hi\"}}");
        assertEquals(200, done.statusCode(), done.body());

        String coreMetrics = http.get(core.baseUrl() + "/observe/metrics").body();
        assertTrue(coreMetrics.contains("offgrid_jobs_total{intake=\"http\",method=\"offgrid\",reason=\"none\","
                + "status=\"completed\"} 1.0"), coreMetrics);
        assertTrue(coreMetrics.contains("offgrid_dispatch_seconds_bucket{"), "no dispatch histogram");
        assertTrue(coreMetrics.contains("offgrid_inbox_depth 0.0"), "no inbox depth");
        assertTrue(coreMetrics.contains("offgrid_file_queue_depth 0.0"), "no file queue depth");

        String brokerMetrics = http.get(broker.baseUrl() + "/observe/metrics").body();
        assertTrue(brokerMetrics.contains("offgrid_auction_seconds_bucket{"), "no auction histogram");
        assertTrue(brokerMetrics.contains("offgrid_host_bids_total{node_id=\"host-a\"} 1.0"), brokerMetrics);
        assertTrue(brokerMetrics.contains("offgrid_host_wins_total{node_id=\"host-a\"} 1.0"), brokerMetrics);
        assertTrue(brokerMetrics.contains("offgrid_host_quote_seconds_count{node_id=\"host-a\"} 1"), brokerMetrics);
        assertTrue(brokerMetrics.contains("offgrid_ledger_entries_total{node_id=\"host-a\"} 1.0"), brokerMetrics);
        assertTrue(brokerMetrics.contains("offgrid_ledger_amount_total{node_id=\"host-a\"} "), brokerMetrics);
        assertTrue(brokerMetrics.contains("offgrid_ledger_tree_size 1.0"), brokerMetrics);
    }

    @Test
    void coreIsLiveButNotReadyWhileTheFileQueueCannotBeWritten() throws IOException {
        // root writes through chmod, so a plain file stands where the folder should be
        Files.writeString(home.resolve("webrelay_out"), "not a folder");
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
        RunningRole core = roles.core(Map.of());

        HttpResponse<String> ready = http.get(core.baseUrl() + "/observe/health/ready");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("file-queue-writable"), ready.body());
        assertEquals(200, http.get(core.baseUrl() + "/observe/health/live").statusCode());
        assertEquals(503, http.get(core.baseUrl() + "/observe/health").statusCode());

        Files.delete(home.resolve("webrelay_out"));
        Files.createDirectories(home.resolve("webrelay_out"));
        Eventually.holds(() -> assertEquals(200, http.get(core.baseUrl() + "/observe/health/ready").statusCode()));
    }
}
