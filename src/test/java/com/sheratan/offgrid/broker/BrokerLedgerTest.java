package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import com.sheratan.offgrid.ledger.CostLedger;
import com.sheratan.offgrid.ledger.MerkleTree;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.LogCapture;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's cost ledger end to end (SPEC section 12): charges, receipt checks, endpoints, the log on disk. */
class BrokerLedgerTest {
    private static final HexFormat HEX = HexFormat.of();
    @TempDir
    Path home;

    private final List<AutoCloseable> started = new ArrayList<>();

    private StandInHost host(String nodeId, double price) {
        StandInHost host = StandInHost.start(nodeId);
        host.price = price;
        started.add(host);
        return host;
    }

    private BrokerUnderTest broker() {
        BrokerUnderTest broker = new BrokerUnderTest(home);
        started.add(0, broker);
        return broker;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private Path log() {
        return home.resolve("state/broker").resolve(CostLedger.LOG_FILE);
    }

    @Test
    void anOkRunIsChargedOnceAndARepeatedAttemptAnswersItsEntry() throws IOException {
        StandInHost host = host("host-a", 0.000123);
        BrokerUnderTest broker = broker().discover(host).start();

        JsonNode first = json(broker.auction(request("job-1", "echo")));
        JsonNode ledger = first.path("ledger");
        assertEquals(0, ledger.path("seq").asInt(), first.toString());
        assertEquals("0.000123000", ledger.path("amount").asText());
        JsonNode again = json(broker.auction(request("job-1", "echo")));
        assertEquals(ledger, again.path("ledger"), "the same attempt is answered with the entry it has");
        assertEquals(1, Files.readAllLines(log()).size(), "one entry on disk");

        JsonNode entry = json(broker.get("/ledger/entries/0"));
        assertEquals(ledger.path("leaf_hash").asText(), entry.path("leaf_hash").asText());
        JsonNode charged = entry.path("entry");
        assertEquals("charge", charged.path("type").asText());
        assertEquals("attempt-job-1", charged.path("attempt_id").asText());
        assertEquals("mission:none", charged.path("payer").asText());
        assertEquals("host:host-a", charged.path("payee").asText());
        assertEquals("0.000001230", charged.path("reserve").asText());
        assertEquals("0.000121770", charged.path("host_amount").asText());
        assertEquals(first.path("receipt"), charged.path("receipt"), "the host's receipt, whole");
        // the leaf hash is SHA-256(0x00 || the entry's canonical bytes), recomputed here by hand
        assertEquals(ledger.path("leaf_hash").asText(), HEX.formatHex(sha256((byte) 0, canonical(charged))));

        JsonNode balances = json(broker.get("/ledger/balances"));
        assertEquals(1, balances.path("tree_size").asInt());
        assertEquals("-0.000123000", balances.path("accounts").path("mission:none").asText());
        assertEquals("0.000121770", balances.path("accounts").path("host:host-a").asText());
        assertEquals("0.000001230", balances.path("accounts").path("reserve").asText());
        assertEquals("0.000000000", balances.path("sum").asText());

        JsonNode job = json(broker.get("/ledger/jobs/job-1"));
        assertEquals(1, job.path("entries").size());
        assertEquals(0, json(broker.get("/ledger/jobs/job-unknown")).path("entries").size());
    }

    @Test
    void aFailedRunOrARunWithoutReceiptIsNotCharged() throws IOException {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        host.runAnswer = run -> StandInHost.failed(200, "INVALID_ARGS");
        JsonNode failed = json(broker.auction(request("job-failed", "echo")));
        assertTrue(failed.path("ledger").isNull(), failed.toString());
        host.runAnswer = host::ranFine;
        host.noReceipt = true;
        JsonNode unsigned = json(broker.auction(request("job-unsigned", "echo")));
        assertTrue(unsigned.path("ok").asBoolean(), unsigned.toString());
        assertTrue(unsigned.path("ledger").isNull(), unsigned.toString());
        assertEquals(0, json(broker.get("/ledger/balances")).path("tree_size").asInt());
    }

    @Test
    void aForgedReceiptIsTheHostsFailureAndTheBrokerFailsOver() {
        StandInHost forger = host("host-a", 0.1);
        forger.forgeReceipts = true;
        StandInHost honest = host("host-b", 0.2);
        BrokerUnderTest broker = broker().discover(forger, honest).start();

        JsonNode body;
        try (LogCapture log = new LogCapture()) {
            body = json(broker.auction(request("job-forged", "echo")));
            assertTrue(log.text().contains("invalid receipt: its signature does not verify"), "the reason is logged");
        }
        assertEquals("host-b", body.path("node_id").asText(), body.toString());
        assertEquals(List.of(forger.url(), honest.url()), BrokerAuctionTest.texts(body.path("auction").path("tried")));
        JsonNode drop = body.path("auction").path("dropped").get(0);
        assertEquals("run", drop.path("stage").asText());
        assertTrue(drop.path("reason").asText().startsWith("invalid receipt: its signature does not verify"), drop.toString());
        assertEquals("0.200000000", body.path("ledger").path("amount").asText(), "charged at the host that ran it");
        JsonNode entries = json(broker.get("/ledger/entries")).path("entries");
        assertEquals(1, entries.size());
        assertEquals("host-b", entries.get(0).path("entry").path("node_id").asText());
        JsonNode reputation = BrokerAuctionTest.find(json(broker.get("/hosts")).path("hosts"), forger.url()).path("reputation");
        assertEquals(1, reputation.path("failures").asInt(), reputation.toString());
        assertTrue(reputation.path("last_failure").asText().contains("invalid receipt"), reputation.toString());
    }

    @Test
    void aReceiptThatDoesNotMatchTheDispatchIsRefused() {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        String[][] edits = {{"quote", "its quote 0.5 is not the winning bid 0.1"},
                {"job_id", "its job_id \"other-job\" is not the dispatch's"},
                {"attempt_id", "its attempt_id \"other-attempt\" is not the dispatch's"},
                {"kind", "its kind \"sha256\" is not the dispatch's"},
                {"node_id", "its node_id \"host-z\" is not the dispatch's"}};
        int n = 0;
        for (String[] edit : edits) {
            host.receiptEdit = r -> switch (edit[0]) {
                case "quote" -> new Receipt(r.version(), r.nodeId(), r.jobId(), r.attemptId(), r.kind(), r.units(), 0.5,
                        r.startedMs(), r.finishedMs(), r.outputSha256(), r.nonce(), null, null, null);
                case "job_id" -> new Receipt(r.version(), r.nodeId(), "other-job", r.attemptId(), r.kind(), r.units(),
                        r.quote(), r.startedMs(), r.finishedMs(), r.outputSha256(), r.nonce(), null, null, null);
                case "attempt_id" -> new Receipt(r.version(), r.nodeId(), r.jobId(), "other-attempt", r.kind(), r.units(),
                        r.quote(), r.startedMs(), r.finishedMs(), r.outputSha256(), r.nonce(), null, null, null);
                case "kind" -> new Receipt(r.version(), r.nodeId(), r.jobId(), r.attemptId(), "sha256", r.units(),
                        r.quote(), r.startedMs(), r.finishedMs(), r.outputSha256(), r.nonce(), null, null, null);
                default -> new Receipt(r.version(), "host-z", r.jobId(), r.attemptId(), r.kind(), r.units(),
                        r.quote(), r.startedMs(), r.finishedMs(), r.outputSha256(), r.nonce(), null, null, null);
            };
            HttpResponse<String> response = broker.auction(request("job-m" + n++, "echo"));
            assertEquals(503, response.statusCode(), edit[0] + ": " + response.body());
            String reason = json(response).path("dropped").get(0).path("reason").asText();
            assertTrue(reason.startsWith("invalid receipt: " + edit[1]), edit[0] + ": " + reason);
        }
        assertEquals(0, json(broker.get("/ledger/balances")).path("tree_size").asInt());
    }

    @Test
    void aChangedHostKeyIsRefusedUntilMeshHostsListsIt() throws IOException {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        assertEquals(0, json(broker.auction(request("job-k1", "echo"))).path("ledger").path("seq").asInt());
        Path pins = home.resolve("state/broker").resolve(HostKeyPins.FILE);
        assertEquals(host.signer.verifyKey(), json(Files.readString(pins)).path("host-a").asText(), "pinned on disk");

        host.signer = StandInHost.newSigner(); // the host now signs (and announces) another key
        HttpResponse<String> refused = broker.auction(request("job-k2", "echo"));
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(json(refused).path("dropped").get(0).path("reason").asText()
                .contains("not the one pinned for host-a"), refused.body());

        ObjectNode discovery = Json.mapper().createObjectNode();
        discovery.putObject(host.url()).put("node_id", "host-a").put("verify_key", host.signer.verifyKey());
        broker.writeDiscovery(discovery.toString());
        Eventually.holds(() -> assertEquals(200, broker.auction(request("job-k3-" + System.nanoTime(), "echo")).statusCode()));
        assertEquals(host.signer.verifyKey(), json(Files.readString(pins)).path("host-a").asText(), "re-pinned");
    }

    @Test
    void proofsFromTheEndpointsVerifyAgainstTheSignedCheckpoint() {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start(Map.of("offgrid.broker.ledger.checkpoint-interval-ms", "100"));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, broker.auction(request("job-p" + i, "echo")).statusCode());
        }
        Eventually.holds(() -> assertEquals(5, json(broker.get("/ledger/checkpoint")).path("tree_size").asInt()));
        JsonNode checkpoint = json(broker.get("/ledger/checkpoint"));
        assertTrue(com.sheratan.offgrid.ledger.Checkpoint.fromJson(checkpoint).verifies(), checkpoint.toString());
        byte[] root = HEX.parseHex(checkpoint.path("root_hash").asText());
        for (int seq = 0; seq < 5; seq++) {
            JsonNode proof = json(broker.get("/ledger/proof?seq=" + seq + "&tree_size=5"));
            assertTrue(MerkleTree.verifyInclusion(seq, 5, HEX.parseHex(proof.path("leaf_hash").asText()),
                    hashes(proof.path("audit_path")), root), proof.toString());
        }
        JsonNode consistency = json(broker.get("/ledger/consistency?first=3&second=5"));
        JsonNode entries = json(broker.get("/ledger/entries?start=0&limit=3")).path("entries");
        assertEquals(3, entries.size());
        MerkleTree firstThree = new MerkleTree();
        entries.forEach(e -> firstThree.append(HEX.parseHex(e.path("leaf_hash").asText())));
        assertTrue(MerkleTree.verifyConsistency(3, 5, firstThree.root(3), root, hashes(consistency.path("proof"))),
                consistency.toString());
    }

    @Test
    void malformedProofQueriesAre400WithTheReason() {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        broker.auction(request("job-q", "echo"));
        String[][] cases = {
                {"/ledger/proof?seq=abc&tree_size=1", "invalid_number", "seq must be a whole number >= 0, was 'abc'"},
                {"/ledger/proof?seq=0&tree_size=-1", "invalid_number", "tree_size must be a whole number"},
                {"/ledger/proof?seq=0", "invalid_number", "tree_size is missing"},
                {"/ledger/proof?seq=0&tree_size=2", "beyond_log", "tree_size 2 is beyond the log's 1 entries"},
                {"/ledger/proof?seq=1&tree_size=1", "beyond_log", "seq 1 is not in a tree of 1 entries"},
                {"/ledger/consistency?first=1&second=9", "beyond_log", "second 9 is beyond the log's 1 entries"},
                {"/ledger/consistency?first=2&second=1", "beyond_log", "first 2 must be between 0 and second 1"},
                {"/ledger/consistency?first=1.5&second=1", "invalid_number", "first must be a whole number"},
                {"/ledger/entries?limit=1001", "invalid_number", "limit must be between 1 and 1000"},
                {"/ledger/entries?start=5", "beyond_log", "start 5 is beyond the log's 1 entries"},
                {"/ledger/entries/x", "invalid_number", "seq must be a whole number"},
                {"/ledger/entries/99999999999999999999", "invalid_number", "seq must be a whole number"}};
        for (String[] c : cases) {
            HttpResponse<String> response = broker.get(c[0]);
            assertEquals(400, response.statusCode(), c[0] + ": " + response.body());
            assertEquals(c[1], json(response).path("error").asText(), c[0]);
            assertTrue(json(response).path("detail").asText().startsWith(c[2]), c[0] + ": " + response.body());
        }
        assertEquals(404, broker.get("/ledger/entries/1").statusCode());
    }

    @Test
    void anEditedLogStopsTheBrokerNamingTheFirstBadSeq() throws IOException {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        for (int i = 0; i < 3; i++) {
            broker.auction(request("job-e" + i, "echo"));
        }
        broker.roles.stop(broker.broker);
        List<String> lines = Files.readAllLines(log());
        lines.set(1, lines.get(1).replace("\"amount\":\"0.100000000\"", "\"amount\":\"0.010000000\""));
        Files.writeString(log(), String.join("\n", lines) + "\n");

        RoleStartException refused = assertThrows(RoleStartException.class, () -> broker.start());
        assertTrue(refused.getMessage().contains("first bad seq 1"), refused.getMessage());
        assertTrue(refused.getMessage().contains(CostLedger.LOG_FILE), refused.getMessage());
    }

    @Test
    void aTornLastLineIsCutAndTheBrokerStarts() throws IOException {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        broker.auction(request("job-t0", "echo"));
        broker.roles.stop(broker.broker);
        Files.write(log(), "{\"entry\":{\"amount\":\"0.1".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (LogCapture warned = new LogCapture()) {
            broker.start();
            assertTrue(warned.text().contains("WARN") && warned.text().contains("cut off a torn last line of 23 bytes"),
                    "the cut is a WARN naming what was cut");
        }
        assertEquals(1, json(broker.get("/ledger/checkpoint")).path("tree_size").asInt());
        assertEquals(1, json(broker.auction(request("job-t1", "echo"))).path("ledger").path("seq").asInt());
        assertEquals(2, Files.readAllLines(log()).size());
    }

    @Test
    void theBrokerIsReadyOnceItsLedgerPassedItsStartCheck() {
        StandInHost host = host("host-a", 0.1);
        BrokerUnderTest broker = broker().discover(host).start();
        broker.auction(request("job-r0", "echo"));
        Eventually.holds(() -> {
            HttpResponse<String> ready = broker.get("/observe/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode check = ledgerCheck(json(ready));
            assertEquals("UP", check.path("status").asText(), ready.body());
        });
    }

    @Test
    void theBrokerIsNotReadyOnceItsLedgerCannotBeWritten() throws Exception {
        // a tiny tmpfs as the broker's state folder, filled once the broker runs (root writes through chmod)
        Path state = home.resolve("state/broker");
        Files.createDirectories(state);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", state.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a tmpfs");
        try {
            StandInHost host = host("host-a", 0.1);
            BrokerUnderTest broker = broker().discover(host).start();
            assertEquals(0, json(broker.auction(request("job-w0", "echo"))).path("ledger").path("seq").asInt());
            try (var filler = Files.newOutputStream(state.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    filler.write(block);
                    filler.flush();
                }
            } catch (IOException full) {
                // the folder is full
            }
            // the log's last page may still hold a line or two
            JsonNode uncharged = null;
            for (int i = 1; i < 20 && (uncharged == null || !uncharged.path("ledger").isNull()); i++) {
                uncharged = json(broker.auction(request("job-w" + i, "echo")));
                assertTrue(uncharged.path("ok").asBoolean(), uncharged.toString());
            }
            assertTrue(uncharged.path("ledger").isNull(), "still charged on a full disk: " + uncharged);

            HttpResponse<String> ready = broker.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode check = ledgerCheck(json(ready));
            assertEquals("DOWN", check.path("status").asText(), ready.body());
            assertTrue(check.path("message").asText().contains("write failed"), ready.body());
            assertEquals(200, broker.get("/observe/health/live").statusCode());
            stopAll();
            started.clear();
        } finally {
            new ProcessBuilder("umount", state.toString()).start().waitFor();
        }
    }

    private static JsonNode ledgerCheck(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("ledger-verified")) {
                return check;
            }
        }
        throw new AssertionError("no ledger-verified check: " + health);
    }

    @Test
    void withTheLedgerOffNothingIsChargedOrChecked() {
        StandInHost host = host("host-a", 0.1);
        host.forgeReceipts = true;
        BrokerUnderTest broker = broker().discover(host).start(Map.of("offgrid.broker.ledger.enabled", "false"));
        JsonNode body = json(broker.auction(request("job-off", "echo")));
        assertTrue(body.path("ok").asBoolean(), body.toString());
        assertTrue(body.path("ledger").isNull());
        assertEquals("ledger_disabled", json(broker.get("/ledger/checkpoint")).path("error").asText());
        assertTrue(Files.notExists(log()));
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> list = new ArrayList<>();
        array.forEach(h -> list.add(HEX.parseHex(h.asText())));
        return list;
    }

    private static byte[] canonical(JsonNode entry) {
        return com.sheratan.offgrid.security.CanonicalJson.bytes(entry);
    }

    private static byte[] sha256(byte prefix, byte[] data) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(prefix);
            return sha.digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
