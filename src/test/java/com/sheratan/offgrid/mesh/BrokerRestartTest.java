package com.sheratan.offgrid.mesh;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restarted on its port is reached by the core's next job at once: the core's kept-alive
 * connections to the old broker are stale, and a request that fails on one is sent again, signed
 * anew, on a fresh connection — not queued as {@code broker_unreachable} while the broker is up.
 */
class BrokerRestartTest {
    @TempDir
    Path home;

    @Test
    void firstJobAfterABrokerRestartReachesTheNewBroker() throws IOException {
        int hostPort = Ports.free();
        int brokerPort = Ports.free();
        Files.createDirectories(home.resolve("discovery"));
        Files.writeString(home.resolve("discovery/mesh_hosts.json"),
                "{\"http://127.0.0.1:" + hostPort + "\":{\"node_id\":\"host-a\"}}");
        Http http = new Http();
        try (TestRoles roles = new TestRoles(home)) {
            roles.host("host-a", Map.of("offgrid.host.port", String.valueOf(hostPort)));
            Map<String, String> brokerSettings = Map.of("offgrid.broker.port", String.valueOf(brokerPort));
            RunningRole broker = roles.broker(brokerSettings);
            RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl()));
            // several jobs side by side leave several kept-alive connections in the core's pool
            for (int i = 0; i < 4; i++) {
                assertEquals("completed", submit(http, core, "before-" + i).path("status").asText());
            }

            roles.stop(broker);
            roles.broker(brokerSettings);

            for (int i = 0; i < 4; i++) {
                JsonNode job = submit(http, core, "after-" + i);
                assertEquals("completed", job.path("status").asText(), job.toString());
                assertEquals("offgrid", job.path("method").asText(), job.toString());
            }
        }
    }

    private static JsonNode submit(Http http, RunningRole core, String jobId) {
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"" + jobId + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + jobId + "\"}}");
        return json(answer);
    }
}
