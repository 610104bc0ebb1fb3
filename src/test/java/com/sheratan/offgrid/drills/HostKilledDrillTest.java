package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drill 2: the cheaper host (a separate process) is SIGKILLed mid-load; jobs fail over to the other host. */
@Tag("drill")
class HostKilledDrillTest {
    @TempDir
    Path home;

    @Test
    void jobsFailOverWhenTheWinningHostDies() throws Exception {
        int jobs = JobAudit.scale(300, 2000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            RoleProcess hostA = mesh.hostProcess("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of("offgrid.host.price.per-mtoken-infer", "1.5"));
            mesh.brokerInJvm(Map.of());
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));

            JobLoad.Sent sent = JobLoad.submit(mesh.coreUrl(), "drill2-", jobs, hostA::kill, status -> status == 200);

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), sent.ids(), Duration.ofSeconds(60));
            System.out.println("drill 2 (winning host killed mid-load): " + outcome);
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(List.of(), sent.unexpected(), "with one host alive every job completes through the mesh");
            assertEquals(jobs, outcome.completed(), outcome.toString());

            JsonNode hosts = Http.json(new Http().get(mesh.brokerUrl() + "/hosts"));
            String text = hosts.toString();
            assertTrue(text.contains("host-a") && text.contains("host-b"), text);
            assertTrue(failuresOf(hosts, "host-a") > 0, "the broker's reputation shows host-a's failures: " + text);
        }
    }

    /** A node's failure count in the broker's {@code GET /hosts} answer. */
    private static long failuresOf(JsonNode hosts, String nodeId) {
        for (JsonNode host : hosts.path("hosts")) {
            if (nodeId.equals(host.path("node_id").asText())) {
                return host.path("reputation").path("failures").asLong();
            }
        }
        return -1;
    }
}
