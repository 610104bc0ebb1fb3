package com.sheratan.offgrid.storage;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Eventually;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write quorum (rs-2-1 on three hosts, one of which cannot write): below it the PUT is 503
 * storage_unavailable and the shards written are deleted; at it the PUT is 201 and the scrub timer
 * places the missing shard once the host can write again.
 */
class WriteQuorumTest {
    @TempDir
    Path home;

    @Test
    void belowTheQuorumNothingStaysAndAtItTheScrubPlacesTheRest() throws Exception {
        try (StorageMesh mesh = new StorageMesh(home, 3, Map.of("offgrid.storage.scheme", "rs-2-1",
                "offgrid.storage.scrub-interval-s", "3600"), Map.of())) {
            Path broken = mesh.shardFolder("host-c");
            Files.delete(broken);
            Files.writeString(broken, "a file where host-c's shard folder should be");

            HttpResponse<String> refused = mesh.put("quorum/a.bin", new byte[5000], "application/octet-stream");
            assertEquals(503, refused.statusCode(), refused.body());
            JsonNode body = json(refused);
            assertEquals("storage_unavailable", body.get("error").asText());
            assertEquals(2, body.get("stored").asInt());
            assertEquals(3, body.get("need").asInt());
            for (String node : List.of("host-a", "host-b")) {
                assertEquals(List.of(), files(mesh.shardFolder(node)), node + " keeps a shard of a refused object");
            }
            assertEquals(404, mesh.get("quorum/a.bin").statusCode());

            mesh.stopCore();
            mesh.startCore(Map.of("offgrid.storage.scheme", "rs-2-1", "offgrid.storage.write-quorum", "2",
                    "offgrid.storage.scrub-interval-s", "1"));
            byte[] content = "stored with two of three shards".getBytes();
            HttpResponse<String> stored = mesh.put("quorum/b.bin", content, "text/plain");
            assertEquals(201, stored.statusCode(), stored.body());
            JsonNode manifest = json(mesh.manifest("quorum/b.bin"));
            assertEquals(2, manifest.get("ok_shards").asInt(), manifest.toString());

            Files.delete(broken);
            Files.createDirectories(broken);
            Eventually.holds(Duration.ofSeconds(30), () -> {
                JsonNode healed = json(mesh.manifest("quorum/b.bin"));
                assertEquals(3, healed.get("ok_shards").asInt(), healed.toString());
            });
            assertEquals(1, mesh.shardFiles("host-c", json(mesh.manifest("quorum/b.bin")).get("object_id").asText()).size());
            assertArrayEquals(content, mesh.get("quorum/b.bin").body());
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }
}
