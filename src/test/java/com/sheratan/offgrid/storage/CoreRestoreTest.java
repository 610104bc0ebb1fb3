package com.sheratan.offgrid.storage;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.CommandLine;
import com.sheratan.offgrid.testing.Eventually;
import java.net.http.HttpResponse;
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

            loseTheCoreAndRestoreIt(mesh, storageKey);
            for (String jobId : jobIds) {
                assertEquals(originals.get(jobId), json(mesh.http.get(mesh.coreUrl("/api/jobs/" + jobId))), jobId);
            }
            assertArrayEquals(object, mesh.get("notes/before.txt").body());
        }
    }

    @Test
    void anObjectDeletedWhileOneOfItsHostsWasDownStaysDeletedAfterARestore() throws Exception {
        String storageKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'd');
        try (StorageMesh mesh = new StorageMesh(home, 3, Map.of("offgrid.storage.key", storageKey,
                "offgrid.storage.scrub-interval-s", "3600"), Map.of())) {
            Eventually.holds(Duration.ofSeconds(30), () -> assertEquals(201,
                    mesh.put("notes/doomed.txt", "deleted while a host was down".getBytes(), "text/plain").statusCode()));
            JsonNode manifest = json(mesh.manifest("notes/doomed.txt"));
            String objectId = manifest.get("object_id").asText();
            String away = manifest.get("shards").get(0).get("node_id").asText();
            mesh.stopHost(away);
            HttpResponse<String> deleted = mesh.delete("notes/doomed.txt");
            assertEquals(200, deleted.statusCode(), deleted.body());
            mesh.restartHost(away, false);
            assertFalse(mesh.shardFiles(away, objectId).isEmpty(), "the host that was down still holds its shard");
            assertFalse(manifestCopies(mesh, away, objectId).isEmpty(), "and its copy of the manifest");
            Eventually.holds(Duration.ofSeconds(30),
                    () -> assertEquals(201, mesh.put("notes/kept.txt", "kept".getBytes(), "text/plain").statusCode()));

            loseTheCoreAndRestoreIt(mesh, storageKey);
            assertEquals(404, mesh.get("notes/doomed.txt").statusCode(), "the tombstone outranks the stale copy");
            assertEquals("kept", new String(mesh.get("notes/kept.txt").body()));
            JsonNode listed = json(mesh.http.get(mesh.coreUrl("/api/objects?prefix=notes/"))).get("objects");
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(List.of(), mesh.shardFiles(away, objectId), "restore deleted the stray shard");
            assertEquals(List.of(), manifestCopies(mesh, away, objectId), "and the stray manifest copy");

            HttpResponse<String> again = mesh.put("notes/doomed.txt", "stored again".getBytes(), "text/plain");
            assertEquals(201, again.statusCode(), again.body());
            assertEquals(2, json(again).get("version").asInt(), "the key's versions go on after its delete");
            assertEquals("stored again", new String(mesh.get("notes/doomed.txt").body()));
        }
    }

    @Test
    void aCoreWithItsJobsInPostgresGetsItsObjectIndexBackAndNoJobStoreOfItsOwn() throws Exception {
        String storageKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'p');
        try (StorageMesh mesh = new StorageMesh(home, 2, Map.of("offgrid.storage.key", storageKey,
                "offgrid.storage.scrub-interval-s", "3600"), Map.of())) {
            Eventually.holds(Duration.ofSeconds(30), () -> assertEquals(201,
                    mesh.put("notes/index.txt", "indexed".getBytes(), "text/plain").statusCode()));
            mesh.stopCore();
            Path state = home.resolve("state/core");
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            // the database is never reached: restore leaves the jobs where they are
            int exit = CommandLine.run(new String[] {"restore", "--home", home.toString(),
                "--set", "offgrid.broker-url=" + mesh.brokerUrl(), "--set", "offgrid.storage.key=" + storageKey,
                "--set", "offgrid.core.job-store=postgres",
                "--set", "offgrid.core.jdbc-url=jdbc:postgresql://127.0.0.1:1/nowhere"});
            assertEquals(0, exit);
            try (Stream<Path> manifests = Files.list(state.resolve("objects"))) {
                assertEquals(1, manifests.count());
            }
            assertFalse(Files.exists(state.resolve("jobs.mv.db")), "no embedded job store was made");
        }
    }

    /** The core's state folder deleted, {@code restore} run, the core started again with the same key. */
    private void loseTheCoreAndRestoreIt(StorageMesh mesh, String storageKey) throws Exception {
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
    }

    private static List<String> manifestCopies(StorageMesh mesh, String nodeId, String objectId) throws Exception {
        try (Stream<Path> files = Files.list(mesh.shardFolder(nodeId))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith("m-" + objectId)).toList();
        }
    }
}
