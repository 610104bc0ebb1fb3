package com.sheratan.offgrid.storage;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.testing.Eventually;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's /api/objects over a real mesh of four hosts with rs-2-2 (any 2 of 4 shards rebuild an
 * object): round trips, bad input, a flipped byte on disk, m hosts killed, fewer than k good shards,
 * and repair after hosts come back empty. The tests run in order on one mesh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshStorageTest {
    private static final int MAX_OBJECT = 1024 * 1024;
    @TempDir
    static Path home;
    private StorageMesh mesh;

    @BeforeAll
    void startMesh() {
        mesh = new StorageMesh(home, 4, Map.of("offgrid.storage.scheme", "rs-2-2",
                "offgrid.storage.max-object-bytes", String.valueOf(MAX_OBJECT),
                "offgrid.storage.scrub-interval-s", "3600"), Map.of());
    }

    @AfterAll
    void stopMesh() {
        mesh.close();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private String objectId(String key) {
        return json(mesh.manifest(key)).get("object_id").asText();
    }

    @Test
    @Order(1)
    void badKeysAre400AndTooLargeBodiesAre413() {
        for (String key : List.of("a/../b", "a//b", "a/./b", "a/b/", "sp%20ace", "semi;colon", "x".repeat(513))) {
            HttpResponse<String> answer = mesh.put(key, bytes(10, 1), "application/octet-stream");
            assertEquals(400, answer.statusCode(), key + ": " + answer.body());
            assertEquals("invalid_key", json(answer).get("error").asText());
        }
        HttpResponse<String> tooLarge = mesh.put("big/object", bytes(MAX_OBJECT + 1, 2), "application/octet-stream");
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());
        assertEquals(404, mesh.get("big/object").statusCode());
        assertEquals(0, json(mesh.http.get(mesh.coreUrl("/api/objects"))).get("objects").size());
    }

    @Test
    @Order(2)
    void anObjectRoundTripsEncryptedAcrossFourHosts() throws Exception {
        byte[] content = bytes(300_001, 3);
        HttpResponse<String> put = mesh.put("docs/report.bin", content, "application/x-report");
        assertEquals(201, put.statusCode(), put.body());
        JsonNode stored = json(put);
        assertEquals("docs/report.bin", stored.get("key").asText());
        assertEquals(1, stored.get("version").asInt());
        assertEquals(300_001, stored.get("size").asLong());
        assertEquals(Digests.sha256Hex(content), stored.get("sha256").asText());
        assertEquals(2, stored.get("scheme").get("k").asInt());
        assertEquals(2, stored.get("scheme").get("m").asInt());
        List<String> nodes = new ArrayList<>();
        stored.get("shards").forEach(s -> nodes.add(s.get("node_id").asText()));
        assertEquals(4, nodes.stream().distinct().count(), "every shard on a different host: " + nodes);

        HttpResponse<byte[]> got = mesh.get("docs/report.bin");
        assertEquals(200, got.statusCode());
        assertArrayEquals(content, got.body());
        assertEquals("application/x-report", got.headers().firstValue("Content-Type").orElse(""));

        // hosts hold ciphertext only: no shard contains a run of the object's bytes
        String objectId = objectId("docs/report.bin");
        byte[] probe = java.util.Arrays.copyOfRange(content, 1000, 1032);
        for (String node : mesh.nodeIds()) {
            List<Path> files = mesh.shardFiles(node, objectId);
            assertEquals(1, files.size(), node);
            assertFalse(contains(Files.readAllBytes(files.get(0)), probe), node + " holds plaintext");
        }
        JsonNode manifest = json(mesh.manifest("docs/report.bin"));
        assertTrue(manifest.get("recoverable").asBoolean());
        manifest.get("shards").forEach(s -> assertEquals("ok", s.get("health").asText()));

        JsonNode listed = json(mesh.http.get(mesh.coreUrl("/api/objects?prefix=docs/"))).get("objects");
        assertEquals(1, listed.size());
        assertEquals("docs/report.bin", listed.get(0).get("key").asText());
        assertEquals(0, json(mesh.http.get(mesh.coreUrl("/api/objects?prefix=other/"))).get("objects").size());
    }

    @Test
    @Order(3)
    void aFlippedByteInAShardOnDiskIsNeverServed() throws Exception {
        String objectId = objectId("docs/report.bin");
        Path file = mesh.shardFiles("host-a", objectId).get(0);
        byte[] onDisk = Files.readAllBytes(file);
        onDisk[100] ^= 0x40;
        Files.write(file, onDisk);
        HttpResponse<byte[]> got = mesh.get("docs/report.bin");
        assertEquals(200, got.statusCode());
        assertArrayEquals(bytes(300_001, 3), got.body());
        JsonNode manifest = json(mesh.manifest("docs/report.bin"));
        long bad = 0;
        for (JsonNode shard : manifest.get("shards")) {
            if (!shard.get("health").asText().equals("ok")) {
                bad++;
                assertEquals("host-a", shard.get("node_id").asText());
            }
        }
        assertEquals(1, bad);
        assertTrue(manifest.get("recoverable").asBoolean());
    }

    @Test
    @Order(4)
    void readsSurviveMHostsKilledAndRepairRestoresEveryShardWhenTheyComeBackEmpty() {
        // the shard host-a lost in the previous test is repaired first, so every object is whole again
        assertEquals(1, json(mesh.repair()).get("repaired").asInt());
        byte[] content = bytes(300_001, 3);
        mesh.stopHost("host-b");
        mesh.stopHost("host-c");
        HttpResponse<byte[]> got = mesh.get("docs/report.bin");
        assertEquals(200, got.statusCode());
        assertArrayEquals(content, got.body());
        JsonNode manifest = json(mesh.manifest("docs/report.bin"));
        assertTrue(manifest.get("recoverable").asBoolean());
        assertEquals(2, manifest.get("ok_shards").asInt());

        // too few hosts for a new object: 503 with need and have
        Eventually.holds(Duration.ofSeconds(20), () -> {
            HttpResponse<String> refused = mesh.put("docs/new.bin", bytes(100, 4), "text/plain");
            assertEquals(503, refused.statusCode(), refused.body());
            JsonNode body = json(refused);
            assertEquals("not_enough_hosts", body.get("error").asText());
            assertEquals(4, body.get("need").asInt());
            assertEquals(2, body.get("have").asInt());
        });

        mesh.restartHost("host-b", true);
        mesh.restartHost("host-c", true);
        Eventually.holds(Duration.ofSeconds(30), () -> {
            JsonNode report = json(mesh.repair());
            assertEquals(0, report.get("unrecoverable").asInt());
            JsonNode after = json(mesh.manifest("docs/report.bin"));
            after.get("shards").forEach(s -> assertEquals("ok", s.get("health").asText(), after.toString()));
        });
        // the dashboard's storage panel shows each host's shards as the last pass found them
        JsonNode panel = json(mesh.http.get(mesh.coreUrl("/api/storage")));
        assertTrue(panel.get("enabled").asBoolean(), panel.toString());
        assertEquals(1, panel.get("objects").asInt(), panel.toString());
        assertEquals(4, panel.get("hosts").size(), panel.toString());
        panel.get("hosts").forEach(h -> assertEquals(h.get("shards").asInt(), h.get("ok").asInt(), panel.toString()));
        // every shard is on a distinct host again, and the object reads from its parity alone
        mesh.stopHost("host-a");
        mesh.stopHost("host-b");
        HttpResponse<byte[]> fromParity = mesh.get("docs/report.bin");
        assertEquals(200, fromParity.statusCode());
        assertArrayEquals(content, fromParity.body());
        mesh.restartHost("host-a", false);
        mesh.restartHost("host-b", false);
    }

    @Test
    @Order(5)
    void fewerThanKGoodShardsIs503ObjectUnavailable() throws Exception {
        byte[] content = bytes(50_000, 5);
        Eventually.holds(Duration.ofSeconds(20),
                () -> assertEquals(201, mesh.put("fragile.bin", content, "application/octet-stream").statusCode()));
        String objectId = objectId("fragile.bin");
        for (String node : List.of("host-a", "host-b", "host-c")) {
            for (Path file : mesh.shardFiles(node, objectId)) {
                Files.delete(file);
            }
        }
        HttpResponse<byte[]> got = mesh.get("fragile.bin");
        assertEquals(503, got.statusCode());
        JsonNode body = json(new String(got.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("object_unavailable", body.get("error").asText());
        assertEquals(1, body.get("have").asInt());
        assertEquals(2, body.get("need").asInt());
        assertFalse(json(mesh.manifest("fragile.bin")).get("recoverable").asBoolean());
        assertEquals(1, json(mesh.repair()).get("unrecoverable").asInt());
        assertEquals(200, mesh.delete("fragile.bin").statusCode());
    }

    @Test
    @Order(6)
    void aNewVersionReplacesTheOldShardsAndDeleteLeavesOnlyATombstone() {
        String oldId = objectId("docs/report.bin");
        byte[] second = bytes(1000, 6);
        HttpResponse<String> put = mesh.put("docs/report.bin", second, "text/plain");
        assertEquals(201, put.statusCode(), put.body());
        assertEquals(2, json(put).get("version").asInt());
        assertArrayEquals(second, mesh.get("docs/report.bin").body());
        for (String node : mesh.nodeIds()) {
            assertEquals(List.of(), mesh.shardFiles(node, oldId), node + " still holds the old version");
        }
        String newId = objectId("docs/report.bin");
        assertEquals(200, mesh.delete("docs/report.bin").statusCode());
        assertEquals(404, mesh.get("docs/report.bin").statusCode());
        assertEquals(404, mesh.delete("docs/report.bin").statusCode());
        for (String node : mesh.nodeIds()) {
            assertEquals(List.of(), mesh.shardFiles(node, newId), node);
            // the manifest copy (r1) is gone; the tombstone (r2, without the data key) stays, so that a
            // copy left on a host that was down cannot bring the object back at a restore (CoreRestoreTest)
            List<Path> left = mesh.shardFiles(node, "m-" + newId);
            assertEquals(1, left.size(), node + " keeps " + left);
            assertTrue(left.get(0).getFileName().toString().startsWith("m-" + newId + "-r2."), node + " keeps " + left);
        }
    }

    @Test
    @Order(7)
    void bytesSentWithAFormContentTypeAreStoredAsBytes() {
        // what curl --data-binary sends by default; the bytes hold what a form decoder chokes on
        byte[] content = ("%zz&a=%E9%" + new String(bytes(64, 7), java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz")) {
            String key = "forms/" + type.hashCode() + ".bin";
            HttpResponse<String> put = mesh.put(key, content, type);
            assertEquals(201, put.statusCode(), type + ": " + put.body());
            HttpResponse<byte[]> got = mesh.get(key);
            assertArrayEquals(content, got.body(), type);
            assertEquals(type, got.headers().firstValue("Content-Type").orElse(""), "the object keeps the type it was sent with");
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
