package com.sheratan.offgrid.mesh;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole mesh over real HTTP on loopback: core, broker and two hosts, configured through a
 * {@code .env} file in the working folder, exactly as a user runs it. The tests run in order: the
 * later ones stop the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshEndToEndTest {
    private static final String SECRET = "e2e-secret-from-dotenv";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path home;

    private TestRoles roles;
    private RunningRole core;
    private RunningRole broker;
    private RunningRole hostA;
    private RunningRole hostB;
    private final Http http = new Http();

    @BeforeAll
    void startMesh() throws IOException {
        Files.writeString(home.resolve(".env"), "# the mesh's settings\nOFFGRID_AUTH_KEYS=e2e:" + SECRET
                + "\nOFFGRID_AUTH_KEY_ID=e2e\nOFFGRID_MODE=auto\n");
        int portA = Ports.free();
        int portB = Ports.free();
        Files.createDirectories(home.resolve("discovery"));
        Files.writeString(home.resolve("discovery/mesh_hosts.json"), "{\"http://127.0.0.1:" + portA
                + "\":{\"node_id\":\"host-a\",\"via\":\"udp\"},\"http://127.0.0.1:" + portB
                + "\":{\"node_id\":\"host-b\",\"via\":\"udp\"}}");
        roles = new TestRoles(home);
        hostA = roles.host("host-a", Map.of("offgrid.host.port", String.valueOf(portA)));
        hostB = roles.host("host-b", Map.of("offgrid.host.port", String.valueOf(portB),
                "offgrid.host.price.per-mtoken-infer", "1.5", "offgrid.host.price.per-gb-transfer", "0.15"));
        broker = roles.broker(Map.of());
        core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl(), "offgrid.core.inbox-poll-ms", "100",
                "offgrid.core.inbox-min-age-ms", "200"));
    }

    @AfterAll
    void stopMesh() {
        roles.close();
    }

    @Test
    @Order(1)
    void coreStartsWithTheDotEnvSettingsAndReachesTheBroker() {
        JsonNode status = json(http.get(core.baseUrl() + "/api/status"));
        assertEquals("auto", status.path("mode").asText());
        assertEquals("e2e", status.path("key_id").asText(), "the key id comes from .env");
        assertFalse(status.toString().contains(SECRET), "the secret is never shown");
        assertEquals(broker.baseUrl(), status.path("broker_url").asText());
        assertEquals("ok", status.path("broker").path("state").asText(), status.toString());
    }

    @Test
    @Order(2)
    void brokerFindsBothHosts() {
        Eventually.holds(() -> assertEquals(2, json(http.get(broker.baseUrl() + "/status")).path("hosts").path("active").asInt(),
                "both hosts active"));
        JsonNode hosts = json(http.get(broker.baseUrl() + "/hosts"));
        assertTrue(hosts.toString().contains("host-a") && hosts.toString().contains("host-b"), hosts.toString());
    }

    @Test
    @Order(3)
    void echoJobRunsOnTheCheaperHostWithAReceiptThatVerifies() {
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"e2e-echo\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello mesh\"}}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode job = json(answer);
        assertEquals("offgrid", job.path("method").asText());
        assertEquals("completed", job.path("status").asText());
        assertEquals("host-a", job.path("node_id").asText(), "host-a quotes lower");
        assertEquals("hello mesh", job.path("result").path("text").asText());

        JsonNode receipt = job.path("result").path("offgrid_receipt");
        String publishedKey = json(http.get(hostA.baseUrl() + "/announce")).path("verify_key").asText();
        assertEquals(publishedKey, receipt.path("verify_key").asText());
        assertTrue(ReceiptVerifier.verify(receipt, publishedKey), "the receipt verifies with host-a's published key");
        ObjectNode tampered = receipt.deepCopy();
        String hash = receipt.path("output_sha256").asText();
        tampered.put("output_sha256", (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1));
        assertFalse(ReceiptVerifier.verify(tampered, publishedKey), "a changed receipt does not verify");

        JsonNode stored = json(http.get(core.baseUrl() + "/api/jobs/e2e-echo"));
        assertEquals("offgrid", stored.path("method").asText());
        assertEquals("completed", stored.path("status").asText());
    }

    @Test
    @Order(4)
    void writeFileJobWritesOnTheWinningHost() throws IOException {
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"e2e-write\",\"kind\":\"write_file\",\"payload\":{\"path\":\"notes/e2e.txt\",\"content\":\"written by the mesh\"}}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode job = json(answer);
        assertEquals("completed", job.path("status").asText(), answer.body());
        String winner = job.path("node_id").asText();
        Path written = home.resolve("data").resolve(winner).resolve("notes/e2e.txt");
        assertEquals("written by the mesh", Files.readString(written));
    }

    @Test
    @Order(4)
    void aReceiptChargesTheSizeTheBidWasAskedForCountingCharactersNotUtf16Units() {
        // 80,000 characters: 160,000 UTF-16 units, 320,000 UTF-8 bytes; SPEC 3 counts characters
        String content = "\uD83D\uDE00".repeat(80_000);
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"e2e-emoji\",\"kind\":\"write_file\",\"payload\":{\"path\":\"emoji.txt\",\"content\":\""
                        + content + "\"}}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode receipt = json(answer).path("result").path("offgrid_receipt");
        assertEquals(80_000 / 4 / 1e6, receipt.path("units").asDouble(), 1e-12, receipt.toString());
        JsonNode auction = json(http.get(broker.baseUrl() + "/results/e2e-emoji"));
        assertEquals(auction.path("quote").decimalValue(), receipt.path("quote").decimalValue(),
                "the receipt charges the winning bid");
    }

    @Test
    @Order(5)
    void inboxFileIsDispatchedTheSameWay() throws IOException {
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        Path part = home.resolve("e2e-inbox.part");
        Files.writeString(part, "{\"job_id\":\"e2e-inbox\",\"kind\":\"sha256\",\"payload\":{\"text\":\"abc\"}}");
        Files.move(part, inbox.resolve("e2e-inbox.json"));
        Eventually.holds(WAIT, () -> assertEquals("completed", status("e2e-inbox")));
        JsonNode job = json(http.get(core.baseUrl() + "/api/jobs/e2e-inbox"));
        assertEquals("offgrid", job.path("method").asText());
        assertTrue(job.toString().contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), job.toString());
        // the file moves once its exchange is done, a moment after the job's outcome is recorded
        Eventually.holds(WAIT, () -> assertTrue(Files.exists(inbox.resolve(".done/e2e-inbox.json")),
                "the file is moved to inbox/.done/"));
    }

    @Test
    @Order(6)
    void malformedJobGets400AndForgedBrokerRequestGets401() {
        HttpResponse<String> malformed = http.postJson(core.baseUrl() + "/api/jobs", "{\"kind\": 42");
        assertEquals(400, malformed.statusCode(), malformed.body());

        byte[] body = "{\"job_id\":\"forged\",\"job\":{}}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(new RequestSigner(AuthKeys.parse("shared-secret", "", "default"))
                .sign("POST", "/auction", "broker", body).asMap());
        headers.put("Content-Type", "application/json");
        HttpResponse<String> forged = http.post(broker.baseUrl() + "/auction", body, headers);
        assertEquals(401, forged.statusCode(), forged.body());
        assertEquals("Offgrid-HMAC", forged.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    @Order(7)
    void jobNoHostCanRunIsQueuedWithNoHostsAndItsResultCompletesIt() throws IOException {
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"e2e-llm\",\"kind\":\"llm_call\",\"payload\":{\"prompt\":\"hello?\"}}");
        assertEquals(202, answer.statusCode(), answer.body());
        JsonNode job = json(answer);
        assertEquals("file_queue", job.path("method").asText());
        assertEquals("no_hosts", job.path("reason").asText());
        JsonNode queued = json(Files.readString(home.resolve("webrelay_out/e2e-llm.job.json")));
        assertEquals("no_hosts", queued.path("reason").asText());
        assertEquals("hello?", queued.path("payload").path("params").path("prompt").asText());

        Path results = Files.createDirectories(home.resolve("webrelay_in"));
        Files.writeString(results.resolve("e2e-llm.result.json.part"),
                "{\"ok\":true,\"action\":\"text_result\",\"text\":\"answered by the local worker\"}");
        Files.move(results.resolve("e2e-llm.result.json.part"), results.resolve("e2e-llm.result.json"));
        Eventually.holds(WAIT, () -> assertEquals("completed", status("e2e-llm")));
        assertTrue(http.get(core.baseUrl() + "/api/jobs/e2e-llm").body().contains("answered by the local worker"));
    }

    @Test
    @Order(8)
    void withTheBrokerStoppedTheNextJobLandsInTheFileQueue() throws IOException {
        roles.stop(broker);
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"e2e-down\",\"kind\":\"echo\",\"payload\":{\"text\":\"broker is down\"}}");
        assertEquals(202, answer.statusCode(), answer.body());
        JsonNode job = json(answer);
        assertEquals("file_queue", job.path("method").asText());
        assertEquals("queued", job.path("status").asText());
        assertEquals("broker_unreachable", job.path("reason").asText());
        assertEquals("webrelay_out/e2e-down.job.json", job.path("job_file").asText());
        JsonNode file = json(Files.readString(home.resolve("webrelay_out/e2e-down.job.json")));
        assertEquals("broker_unreachable", file.path("reason").asText());
        assertFalse(file.path("offgrid_request").path("job").has("claim_token"), "the claim token is not written to disk");

        Path inbox = home.resolve("inbox");
        Path part = home.resolve("e2e-inbox-down.part");
        Files.writeString(part, "{\"job_id\":\"e2e-inbox-down\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
        Files.move(part, inbox.resolve("e2e-inbox-down.json"));
        Eventually.holds(WAIT, () -> assertEquals("queued", status("e2e-inbox-down")));
        assertEquals("broker_unreachable", json(http.get(core.baseUrl() + "/api/jobs/e2e-inbox-down")).path("reason").asText());
        assertTrue(Files.exists(home.resolve("webrelay_out/e2e-inbox-down.job.json")));
    }

    private String status(String jobId) {
        return json(http.get(core.baseUrl() + "/api/jobs/" + jobId)).path("status").asText();
    }
}
