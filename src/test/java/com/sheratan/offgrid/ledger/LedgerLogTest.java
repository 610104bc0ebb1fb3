package com.sheratan.offgrid.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.CanonicalJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's files: charged once, durable, kept across restarts, and refused when edited. */
class LedgerLogTest {
    private static final BigDecimal RATE = new BigDecimal("0.01");
    private final LedgerTesting testing = new LedgerTesting();

    @TempDir
    Path state;

    private CostLedger open() {
        return CostLedger.open(state, RATE, Clock.systemUTC());
    }

    private void writeEntries(int n) throws IOException {
        try (CostLedger ledger = open()) {
            for (int i = 0; i < n; i++) {
                ledger.charge(testing.charge(i, i % 2 == 0 ? null : "m-1"));
            }
        }
    }

    private List<String> logLines() throws IOException {
        return Files.readAllLines(state.resolve(CostLedger.LOG_FILE));
    }

    private void writeLogLines(List<String> lines) throws IOException {
        Files.writeString(state.resolve(CostLedger.LOG_FILE), String.join("\n", lines) + "\n");
    }

    @Test
    void anAttemptIsChargedOnceAndTheAnswerIsItsEntry() throws IOException {
        try (CostLedger ledger = open()) {
            CostLedger.Charge first = ledger.charge(testing.charge(1, "m-1"));
            CostLedger.Charge again = ledger.charge(testing.charge(1, "m-1"));
            assertTrue(first.fresh());
            assertFalse(again.fresh());
            assertEquals(first.seq(), again.seq());
            assertEquals(first.leafHash(), again.leafHash());
            assertEquals("0.000246000", again.amount().toString());
            assertEquals(1, ledger.size());
            JsonNode balances = ledger.balances();
            assertEquals("-0.000246000", balances.get("accounts").get("mission:m-1").asText());
            assertEquals("0.000243540", balances.get("accounts").get("host:host-a").asText());
            assertEquals("0.000002460", balances.get("accounts").get("reserve").asText());
            assertEquals("0.000000000", balances.get("sum").asText());
        }
        assertEquals(1, logLines().size(), "one line for one attempt");
    }

    @Test
    void chargesFromManyThreadsGetOneSeqEachAndTheTreeMatchesTheFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (CostLedger ledger = open()) {
            List<Future<CostLedger.Charge>> charges = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i % 300; // 100 attempts charged twice
                charges.add(pool.submit(() -> ledger.charge(testing.charge(n, null))));
            }
            Set<Long> seqs = new HashSet<>();
            for (Future<CostLedger.Charge> charge : charges) {
                seqs.add(charge.get().seq());
            }
            assertEquals(300, seqs.size());
            assertEquals(300, ledger.size());
            assertEquals("0.000000000", ledger.balances().get("sum").asText());
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = logLines();
        assertEquals(300, lines.size());
        MerkleTree recomputed = new MerkleTree();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode record = Json.mapper().readTree(lines.get(i));
            assertEquals(i, record.get("seq").asInt());
            byte[] leaf = MerkleTree.leafHash(CanonicalJson.bytes(record.get("entry")));
            assertEquals(record.get("leaf_hash").asText(), HexFormat.of().formatHex(leaf));
            recomputed.append(leaf);
        }
        try (CostLedger reopened = open()) {
            Checkpoint checkpoint = reopened.latestCheckpoint();
            assertEquals(300, checkpoint.treeSize());
            assertTrue(checkpoint.verifies());
            assertEquals(HexFormat.of().formatHex(recomputed.root(300)), checkpoint.rootHash());
            assertFalse(reopened.charge(testing.charge(7, null)).fresh(), "a charged attempt stays charged after a restart");
        }
    }

    @Test
    void theLogKeyAndItsCheckpointsSurviveARestart() throws IOException {
        writeEntries(3);
        String logId;
        try (CostLedger ledger = open()) {
            logId = ledger.latestCheckpoint().logId();
            ledger.charge(testing.charge(10, null));
        }
        try (CostLedger ledger = open()) {
            assertEquals(logId, ledger.latestCheckpoint().logId());
            assertEquals(4, ledger.latestCheckpoint().treeSize());
        }
        List<String> checkpoints = Files.readAllLines(state.resolve(CostLedger.CHECKPOINT_FILE));
        assertEquals(List.of(0L, 3L, 4L), checkpoints.stream()
                .map(line -> parse(line).get("tree_size").asLong()).distinct().toList());
    }

    @Test
    void aTornLastLineIsCutOffAndTheLogOpens() throws IOException {
        writeEntries(3);
        Files.write(state.resolve(CostLedger.LOG_FILE), "{\"entry\":{\"amount\":\"0.00".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        try (CostLedger ledger = open()) {
            assertEquals(3, ledger.size());
            assertEquals(3, ledger.charge(testing.charge(3, null)).seq(), "the next entry takes the torn line's place");
        }
        List<String> lines = logLines();
        assertEquals(4, lines.size());
        assertEquals(3, parse(lines.get(3)).get("seq").asInt());
        try (CostLedger ledger = open()) {
            assertEquals(4, ledger.size());
        }
    }

    @Test
    void anEditedEntryStopsTheOpenNamingItsSeq() throws IOException {
        writeEntries(5);
        List<String> lines = logLines();
        lines.set(2, lines.get(2).replace("\"job_id\":\"job-2\"", "\"job_id\":\"job-X\""));
        writeLogLines(lines);
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("first bad seq 2"), refused.getMessage());
        assertTrue(refused.getMessage().contains(CostLedger.LOG_FILE), refused.getMessage());
    }

    @Test
    void anEditedAmountStopsTheOpenNamingItsSeq() throws IOException {
        writeEntries(5);
        List<String> lines = logLines();
        ObjectNode record = (ObjectNode) parse(lines.get(3));
        ((ObjectNode) record.get("entry")).put("amount", "9.000000000");
        lines.set(3, new String(CanonicalJson.bytes(record), StandardCharsets.UTF_8));
        writeLogLines(lines);
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("first bad seq 3"), refused.getMessage());
    }

    @Test
    void anEntryEditedWithItsLeafHashRecomputedIsCaughtByTheSignedRoot() throws IOException {
        writeEntries(4);
        try (CostLedger ledger = open()) {
            for (int i = 4; i < 6; i++) {
                ledger.charge(testing.charge(i, null));
            }
        }
        List<String> lines = logLines();
        ObjectNode record = (ObjectNode) parse(lines.get(5));
        ObjectNode entry = (ObjectNode) record.get("entry");
        entry.put("ts", "2020-01-01T00:00:00Z");
        record.put("leaf_hash", HexFormat.of().formatHex(MerkleTree.leafHash(CanonicalJson.bytes(entry))));
        lines.set(5, new String(CanonicalJson.bytes(record), StandardCharsets.UTF_8));
        writeLogLines(lines);
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        // checkpoints at 0, 4 and 6: the entries from seq 4 on are what the last one no longer vouches for
        assertTrue(refused.getMessage().contains("first bad seq 4"), refused.getMessage());
        assertTrue(refused.getMessage().contains("from seq 4 to 5"), refused.getMessage());
    }

    @Test
    void aMissingEntryStopsTheOpenNamingItsSeq() throws IOException {
        writeEntries(5);
        List<String> lines = logLines();
        lines.remove(1);
        writeLogLines(lines);
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("first bad seq 1: missing"), refused.getMessage());
    }

    @Test
    void missingLastEntriesAreCaughtByTheCheckpoint() throws IOException {
        writeEntries(5);
        List<String> lines = logLines();
        writeLogLines(lines.subList(0, 3));
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("first bad seq 3: missing"), refused.getMessage());
    }

    @Test
    void aTornLineTheCheckpointCoversIsNotCutButRefused() throws IOException {
        writeEntries(3);
        Path log = state.resolve(CostLedger.LOG_FILE);
        byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("first bad seq 2: missing"), refused.getMessage());
        assertEquals(bytes.length - 10, Files.size(log), "a refused log is left as it is");
    }

    @Test
    void anEditedCheckpointStopsTheOpen() throws IOException {
        writeEntries(2);
        Path file = state.resolve(CostLedger.CHECKPOINT_FILE);
        List<String> lines = Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        String root = parse(last).get("root_hash").asText();
        lines.set(lines.size() - 1, last.replace(root, "00".repeat(32)));
        Files.writeString(file, String.join("\n", lines) + "\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("a signature that does not verify"), refused.getMessage());
    }

    @Test
    void proofsOutsideTheLogAreRefusedWithTheReason() throws IOException {
        writeEntries(3);
        try (CostLedger ledger = open()) {
            assertNotEquals(0, ledger.inclusionProof(0, 3).size());
            IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> ledger.inclusionProof(0, 4));
            assertTrue(beyond.getMessage().contains("beyond the log's 3 entries"), beyond.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ledger.inclusionProof(3, 3));
            assertThrows(IllegalArgumentException.class, () -> ledger.consistencyProof(2, 1));
            assertThrows(IllegalArgumentException.class, () -> ledger.consistencyProof(1, 5));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
