package com.sheratan.offgrid.storage;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.CommandLine;
import com.sheratan.offgrid.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's job records reach mesh storage through the outbox, and {@code restore --home DIR} rebuilds
 * a core whose state folder was deleted from the mesh alone: the same jobs, the same objects.
 */
class CoreRestoreTest {
    @TempDir
    Path home;

    @Test
    void aCoreWhoseFolderWasDeletedIsRestoredFromTheMesh() throws Exception {
        String storageKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');
        Map<String, String> core = Map.of("offgrid.core.backup-to-mesh", "true", "offgrid.core.backup-interval-ms", "200",
                "offgrid.storage.key", storageKey, "offgrid.storage.scrub-interval-s", "3600");
        try (StorageMesh mesh = new StorageMesh(home, 3, core, Map.of())) {
            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode answer = json(mesh.http.postJson(mesh.coreUrl("/api/jobs"),
                        "{\"job_id\":\"restore-job-" + i + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello " + i + "\"}}"));
                jobIds.add(answer.get("job_id").asText());
            }
            byte[] object = "an object stored before the loss".getBytes();
            Eventually.holds(Duration.ofSeconds(30),
                    () -> assertEquals(201, mesh.put("notes/before.txt", object, "text/plain").statusCode()));
            // every job's final record reaches the mesh
            Map<String, JsonNode> originals = new HashMap<>();
            Eventually.holds(Duration.ofSeconds(30), () -> {
                for (String jobId : jobIds) {
                    JsonNode job = json(mesh.http.get(mesh.coreUrl("/api/jobs/" + jobId)));
                    byte[] backedUp = mesh.get("_offgrid/jobs/" + jobId).body();
                    assertEquals(job.get("status").asText(), json(new String(backedUp)).get("status").asText(), jobId);
                    assertEquals(job.get("updated_at").asText(),
                            java.time.Instant.ofEpochMilli(json(new String(backedUp)).get("updated_ms").asLong()).toString());
                    originals.put(jobId, job);
                }
            });

            mesh.stopCore();
            Path state = home.resolve("state/core");
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertFalse(Files.exists(state));

            int exit = CommandLine.run(new String[] {"restore", "--home", home.toString(),
                "--set", "offgrid.broker-url=" + mesh.brokerUrl(), "--set", "offgrid.storage.key=" + storageKey});
            assertEquals(0, exit, "restore exits 0 (its output is in the test log)");

            mesh.startCore(Map.of("offgrid.storage.key", storageKey, "offgrid.storage.scrub-interval-s", "3600"));
            for (String jobId : jobIds) {
                assertEquals(originals.get(jobId), json(mesh.http.get(mesh.coreUrl("/api/jobs/" + jobId))), jobId);
            }
            assertArrayEquals(object, mesh.get("notes/before.txt").body());
        }
    }
}
