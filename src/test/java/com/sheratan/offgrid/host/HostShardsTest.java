package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.storage.ShardClient;
import com.sheratan.offgrid.testing.RoleSettings;
import com.sheratan.offgrid.testing.RoleTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host's signed /shards API (SPEC 13) over real HTTP, and the files it leaves in shards/<node-id>/. */
class HostShardsTest extends RoleTest {
    private static final String NODE = "host-s";
    private ShardClient shards;

    @Override
    protected Role role() {
        return Role.HOST;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("offgrid.host.node-id", NODE);
    }

    @BeforeEach
    void client() {
        shards = new ShardClient(new RequestSigner(HostCalls.KEYS), Duration.ofSeconds(30), null, 64L << 20);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private ShardClient.Answer put(String id, byte[] content) {
        return shards.put(baseUrl(), NODE, id, content, Digests.sha256Hex(content)).join();
    }

    private Path shardFolder() {
        return home.resolve("shards").resolve(NODE);
    }

    @Test
    void aPutShardIsServedBackWithItsHash() throws Exception {
        byte[] content = bytes(100_000, 1);
        ShardClient.Answer stored = put("obj-0001-v1-s0-abcdef", content);
        assertEquals(201, stored.status(), stored.reason());
        assertEquals(Digests.sha256Hex(content), stored.json().get("sha256").asText());
        assertEquals(100_000, stored.json().get("bytes").asLong());
        try (Stream<Path> files = Files.list(shardFolder())) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("obj-0001")).count());
        }

        ShardClient.Answer read = shards.get(baseUrl(), NODE, "obj-0001-v1-s0-abcdef").join();
        assertEquals(200, read.status());
        assertArrayEquals(content, read.body());
        assertEquals(Digests.sha256Hex(content), read.sha256());

        JsonNode verified = shards.verify(baseUrl(), NODE, "obj-0001-v1-s0-abcdef").join().json();
        assertTrue(verified.get("ok").asBoolean());
        assertEquals(Digests.sha256Hex(content), verified.get("sha256").asText());
        assertEquals(100_000, verified.get("bytes").asLong());
    }

    @Test
    void theSameBytesAgainAre200AndOtherBytesUnderTheIdAre409() {
        byte[] content = bytes(5000, 2);
        assertEquals(201, put("same-shard-000001", content).status());
        assertEquals(200, put("same-shard-000001", content).status());
        ShardClient.Answer other = put("same-shard-000001", bytes(5000, 3));
        assertEquals(409, other.status());
        assertEquals("shard_exists", other.reason());
        assertArrayEquals(content, shards.get(baseUrl(), NODE, "same-shard-000001").join().body());
    }

    @Test
    void aBodyThatDoesNotMatchItsHashIsRefusedAndNothingStored() throws Exception {
        byte[] content = bytes(5000, 4);
        // signed over the bytes sent, with a header that names other bytes
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/shards/mismatch-shard-001")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .header("X-Offgrid-Content-Sha256", Digests.sha256Hex(bytes(5000, 5)));
        new RequestSigner(HostCalls.KEYS).sign("PUT", "/shards/mismatch-shard-001", NODE, content).asMap()
                .forEach(request::header);
        HttpResponse<String> answer = http.send(request.build());
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("hash_mismatch", json(answer).get("error").asText());
        assertEquals(404, shards.get(baseUrl(), NODE, "mismatch-shard-001").join().status());
        try (Stream<Path> files = Files.list(shardFolder())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    @RoleSettings("offgrid.host.storage-capacity-mb=1")
    void aShardOverTheCapacityIsRefusedWith507AndTheFreeBytes() {
        assertEquals(201, put("capacity-shard-01", bytes(700_000, 6)).status());
        ShardClient.Answer full = put("capacity-shard-02", bytes(700_000, 7));
        assertEquals(507, full.status());
        assertEquals("insufficient_storage", full.reason());
        assertEquals(1024 * 1024 - 700_000, full.json().get("free_bytes").asLong());
        assertEquals(404, shards.get(baseUrl(), NODE, "capacity-shard-02").join().status());
        HttpResponse<String> quote = http.get(url("/quote?type=storage&kind=shard&size=0.01"));
        assertEquals(507, quote.statusCode(), quote.body());
    }

    @Test
    void aFlippedByteOnDiskIsAnsweredCorruptAndMovedAside() throws Exception {
        byte[] content = bytes(20_000, 8);
        assertEquals(201, put("flipped-shard-0001", content).status());
        Path file = shardFolder().resolve("flipped-shard-0001." + Digests.sha256Hex(content));
        byte[] onDisk = Files.readAllBytes(file);
        onDisk[12_345] ^= 0x01;
        Files.write(file, onDisk);

        ShardClient.Answer read = shards.get(baseUrl(), NODE, "flipped-shard-0001").join();
        assertEquals(410, read.status());
        assertEquals("shard_corrupt", read.reason());
        assertFalse(Files.exists(file));
        try (Stream<Path> aside = Files.list(shardFolder().resolve(".corrupt"))) {
            assertEquals(1, aside.count());
        }
        assertEquals(404, shards.get(baseUrl(), NODE, "flipped-shard-0001").join().status());
        // the id is free again: repair may place the shard here anew
        assertEquals(201, put("flipped-shard-0001", content).status());
    }

    @Test
    void aCorruptShardIsFoundByVerifyToo() throws Exception {
        byte[] content = bytes(3000, 9);
        assertEquals(201, put("verify-corrupt-001", content).status());
        Files.write(shardFolder().resolve("verify-corrupt-001." + Digests.sha256Hex(content)), bytes(3000, 10));
        assertEquals(410, shards.verify(baseUrl(), NODE, "verify-corrupt-001").join().status());
    }

    @Test
    void deleteAnswers200ThenUnknownShardsAre404() {
        assertEquals(201, put("delete-me-shard-01", bytes(100, 11)).status());
        assertEquals(200, shards.delete(baseUrl(), NODE, "delete-me-shard-01").join().status());
        assertEquals(404, shards.delete(baseUrl(), NODE, "delete-me-shard-01").join().status());
        ShardClient.Answer unknown = shards.get(baseUrl(), NODE, "delete-me-shard-01").join();
        assertEquals(404, unknown.status());
        assertEquals("unknown_shard", unknown.reason());
    }

    @Test
    void shardsAreListedByPrefix() {
        put("aaaa-list-shard-1", bytes(10, 12));
        put("aaaa-list-shard-2", bytes(20, 13));
        put("bbbb-list-shard-1", bytes(30, 14));
        JsonNode listed = shards.list(baseUrl(), NODE, "aaaa-").join().json().get("shards");
        assertEquals(2, listed.size());
        assertEquals("aaaa-list-shard-1", listed.get(0).get("shard_id").asText());
        assertEquals(20, listed.get(1).get("bytes").asLong());
        assertEquals(3, shards.list(baseUrl(), NODE, "").join().json().get("shards").size());
    }

    @Test
    void unsignedOrMisaddressedCallsAre401() throws Exception {
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(url("/shards/unsigned-shard-0001")))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(401, unsigned.statusCode());
        ShardClient.Answer otherHost = shards.get(baseUrl(), "host-other", "unsigned-shard-0001").join();
        assertEquals(401, otherHost.status());
        try (Stream<Path> files = Files.list(shardFolder())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void badShardIdsAre400() {
        assertEquals(400, put("short", bytes(10, 15)).status());
        assertEquals(400, put("x".repeat(129), bytes(10, 15)).status());
    }

    @Test
    void statusAnnounceAndQuoteShowStorage() {
        put("figures-shard-001", bytes(1234, 16));
        JsonNode status = json(http.get(url("/status")));
        assertEquals(1, status.get("storage").get("shards").asInt());
        assertEquals(1234, status.get("storage").get("bytes").asLong());
        assertEquals(10240L * 1024 * 1024, status.get("storage").get("capacity_bytes").asLong());
        assertEquals(1234, json(http.get(url("/announce"))).get("storage").get("bytes").asLong());
        HttpResponse<String> quote = http.get(url("/quote?type=storage&kind=shard&size=2"));
        assertEquals(200, quote.statusCode(), quote.body());
        assertEquals(1.0, json(quote).get("quote").asDouble(), 1e-9);
        assertNull(json(quote).get("error"));
    }

    @Test
    void shardsSurviveARestartOfTheHost() throws Exception {
        byte[] content = bytes(4096, 17);
        assertEquals(201, put("restart-shard-0001", content).status());
        context.stop();
        context = null;
        com.sheratan.offgrid.launch.RunningRole again = com.sheratan.offgrid.launch.RoleLauncher.start(Role.HOST,
                roleSettings());
        try {
            assertArrayEquals(content, shards.get(baseUrl(), NODE, "restart-shard-0001").join().body());
        } finally {
            again.stop();
        }
    }
}
