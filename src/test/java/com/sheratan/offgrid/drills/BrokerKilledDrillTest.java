package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.testing.RoleProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

            CountDownLatch killed = new CountDownLatch(1);
            JobLoad.Sent sent = JobLoad.submit(mesh.coreUrl(), "drill1-", jobs, () -> {
                broker.kill();
                killed.countDown();
            }, status -> status == 200 || status == 202);
            assertTrue(killed.await(1, TimeUnit.SECONDS));

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), sent.ids(), Duration.ofSeconds(60));
            System.out.println("drill 1 (broker killed mid-load): " + outcome);
            assertEquals(List.of(), sent.unexpected(), "every POST is answered 200 or 202 in auto mode");
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(jobs, outcome.completed() + outcome.queued() + outcome.failed());
            assertTrue(outcome.completed() > 0, "jobs before the kill went through the mesh: " + outcome);
            assertTrue(outcome.queued() > 0, "jobs after the kill went to the file queue: " + outcome);
        }
    }
}
