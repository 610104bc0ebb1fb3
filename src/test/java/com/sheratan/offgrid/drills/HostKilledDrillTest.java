package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RoleProcess;
import com.sheratan.offgrid.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

            Set<String> ids = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            Http http = new Http();
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        if (i == jobs / 3) {
                            hostA.kill();
                        }
                        String id = "drill2-" + i;
                        HttpResponse<String> r = http.postJson(mesh.coreUrl() + "/api/jobs",
                                "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}");
                        ids.add(id);
                        if (r.statusCode() != 200) {
                            unexpected.add(id + " -> " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(10, TimeUnit.MINUTES), "load did not finish");

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), ids, Duration.ofSeconds(60));
            System.out.println("drill 2 (winning host killed mid-load): " + outcome);
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(List.of(), List.copyOf(unexpected), "with one host alive every job completes through the mesh");
            assertEquals(jobs, outcome.completed(), outcome.toString());

            JsonNode hosts = JobAudit.read(http.get(mesh.brokerUrl() + "/hosts").body());
            String text = hosts.toString();
            assertTrue(text.contains("host-a") && text.contains("host-b"), text);
            assertTrue(failuresOf(hosts, "host-a") > 0, "the broker's reputation shows host-a's failures: " + text);
        }
    }

    /** Finds the failure count of a node in the broker's /hosts answer (a list, or an object keyed by URL). */
    static long failuresOf(JsonNode hosts, String nodeId) {
        JsonNode list = hosts.isArray() ? hosts : hosts.has("hosts") ? hosts.get("hosts") : hosts;
        for (JsonNode host : list) {
            if (nodeId.equals(host.path("node_id").asText())) {
                JsonNode rep = host.has("reputation") ? host.get("reputation") : host;
                return rep.path("failures").asLong();
            }
        }
        return -1;
    }
}
