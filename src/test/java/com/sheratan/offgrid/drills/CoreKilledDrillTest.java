package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 3: the core (a separate process) is SIGKILLed while thousands of job files sit in its inbox.
 * After a restart every file is processed once: none lost, none run twice on a host, none half-read.
 */
@Tag("drill")
class CoreKilledDrillTest {
    @TempDir
    Path home;

    @Test
    void everyInboxFileIsProcessedOnceAcrossACoreCrash() throws Exception {
        int files = JobAudit.scale(600, 5000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            mesh.hostInJvm("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of());
            mesh.brokerInJvm(Map.of());

            Path inbox = Files.createDirectories(home.resolve("inbox"));
            Path staging = Files.createDirectories(home.resolve("staging"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String id = "drill3-" + i;
                ids.add(id);
                Files.writeString(staging.resolve(id + ".json"),
                        "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}");
            }
            try (Stream<Path> staged = Files.list(staging)) {
                for (Path f : staged.toList()) {
                    Files.move(f, inbox.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }

            RoleProcess core = mesh.coreProcess(Map.of("offgrid.mode", "auto"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (doneFiles(inbox) < files / 5 && System.nanoTime() < deadline) {
                JobAudit.sleep(20);
            }
            core.kill();
            int doneBeforeKill = doneFiles(inbox);
            assertTrue(doneBeforeKill < files, "the kill must land while files are still waiting");

            mesh.coreProcess(Map.of("offgrid.mode", "auto"));
            Eventually.holds(Duration.ofMinutes(5), Duration.ofMillis(100),
                    () -> assertEquals(0, waitingFiles(inbox), "every inbox file is picked up after the restart"));

            JobAudit.Outcome outcome = JobAudit.audit(mesh.coreUrl(), mesh.fileQueue(), ids, Duration.ofSeconds(60));
            System.out.println("drill 3 (core killed with " + files + " files in the inbox, " + doneBeforeKill
                    + " done before the kill): " + outcome);
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(0, countFiles(inbox.resolve(".error")), "no file was half-read or judged invalid");
            long executions = hostRuns(mesh, "host-a") + hostRuns(mesh, "host-b");
            assertEquals(outcome.completed(), executions, "each completed job ran exactly once on a host");
        }
    }

    private static long hostRuns(DrillMesh mesh, String nodeId) {
        JsonNode status = Http.json(new Http().get(mesh.hostUrl(nodeId) + "/status"));
        return status.path("jobs").path("done").asLong();
    }

    private static int waitingFiles(Path inbox) {
        try (Stream<Path> s = Files.list(inbox)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int doneFiles(Path inbox) throws IOException {
        return countFiles(inbox.resolve(".done"));
    }

    private static int countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }
}
