package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drill 1: the broker (a separate process) is SIGKILLed in the middle of a load of jobs in auto mode. */
@Tag("drill")
class BrokerKilledDrillTest {
    @TempDir
    Path home;

    @Test
    void everyJobIsAccountedForWhenTheBrokerDiesMidLoad() throws Exception {
        int jobs = JobAudit.scale(300, 2000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            mesh.hostInJvm("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of());
            RoleProcess broker = mesh.brokerProcess(Map.of());
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));

            Set<String> ids = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch killed = new CountDownLatch(1);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            Http http = new Http();
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        if (i == jobs / 3) {
                            broker.kill();
                            killed.countDown();
                        }
                        String id = "drill1-" + i;
                        HttpResponse<String> r = http.postJson(mesh.coreUrl() + "/api/jobs",
                                "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}");
                        ids.add(id);
                        if (r.statusCode() != 200 && r.statusCode() != 202) {
                            unexpected.add(id + " -> " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(10, TimeUnit.MINUTES), "load did not finish");
            assertTrue(killed.await(1, TimeUnit.SECONDS));

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), ids, Duration.ofSeconds(60));
            System.out.println("drill 1 (broker killed mid-load): " + outcome);
            assertEquals(List.of(), List.copyOf(unexpected), "every POST is answered 200 or 202 in auto mode");
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(jobs, outcome.completed() + outcome.queued() + outcome.failed());
            assertTrue(outcome.completed() > 0, "jobs before the kill went through the mesh: " + outcome);
            assertTrue(outcome.queued() > 0, "jobs after the kill went to the file queue: " + outcome);
        }
    }
}
