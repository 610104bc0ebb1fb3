package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.testing.RoleProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 1: the broker (a separate process) is SIGKILLed in the middle of a load of jobs in auto mode,
 * and started again a moment later. Jobs it had in hand may already have run on a host: they must not
 * also be queued (they would run twice), so the core sends them again until the broker is back.
 */
@Tag("drill")
class BrokerKilledDrillTest {
    @TempDir
    Path home;

    @Test
    void everyJobIsAccountedForAndNoneBothRanAndQueuedWhenTheBrokerDiesMidLoad() throws Exception {
        int jobs = JobAudit.scale(300, 2000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            mesh.hostInJvm("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of());
            RoleProcess broker = mesh.brokerProcess(Map.of());
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));

            CountDownLatch killed = new CountDownLatch(1);
            CompletableFuture<RoleProcess> restarted = new CompletableFuture<>();
            JobLoad.Sent sent = JobLoad.submit(mesh.coreUrl(), "drill1-", jobs, () -> {
                broker.kill();
                killed.countDown();
                // started again while the load goes on: jobs meanwhile find no broker and are queued
                CompletableFuture.runAsync(() -> restarted.complete(mesh.brokerProcess(Map.of())));
            }, status -> status == 200 || status == 202);
            assertTrue(killed.await(1, TimeUnit.SECONDS));
            restarted.get(2, TimeUnit.MINUTES);

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), sent.ids(), Duration.ofSeconds(90));
            Set<String> ranAndQueued = new TreeSet<>(JobAudit.runsOnHosts(home).keySet());
            ranAndQueued.retainAll(outcome.queuedIds());
            System.out.println("drill 1 (broker killed mid-load, restarted): " + outcome + ", ran on a host and queued: "
                    + ranAndQueued.size());
            assertEquals(List.of(), sent.unexpected(), "every POST is answered 200 or 202 in auto mode");
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(jobs, outcome.completed() + outcome.queued() + outcome.failed());
            assertTrue(outcome.completed() > 0, "jobs before the kill went through the mesh: " + outcome);
            assertTrue(outcome.queued() > 0, "jobs while the broker was down went to the file queue: " + outcome);
            assertEquals(Set.of(), ranAndQueued, "a job that ran on a host must not be queued too (it would run twice)");
        }
    }
}
