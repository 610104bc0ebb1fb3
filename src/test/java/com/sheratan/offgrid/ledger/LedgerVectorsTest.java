package com.sheratan.offgrid.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger's entries, amounts, tree and proofs against vectors computed independently of the
 * product's code, by src/test/resources/ledger/ledger_vectors.py (Python's decimal and hashlib,
 * RFC 9162's recursive definitions), whose output ledger-vectors.json is checked in.
 */
class LedgerVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode vectors;
    private static final List<LedgerEntry> ENTRIES = new ArrayList<>();
    private static final MerkleTree TREE = new MerkleTree();

    @BeforeAll
    static void buildTheSameChargesWithTheProductsCode() throws Exception {
        try (InputStream in = LedgerVectorsTest.class.getResourceAsStream("/ledger/ledger-vectors.json")) {
            vectors = Json.mapper().readTree(in);
        }
        BigDecimal rate = new BigDecimal(vectors.get("reserve_rate").asText());
        for (JsonNode vector : vectors.get("entries")) {
            JsonNode given = vector.get("entry");
            JsonNode receipt = given.get("receipt");
            LedgerEntry entry = LedgerEntry.charge(given.get("seq").asLong(), given.get("ts").asText(),
                    given.get("job_id").asText(), given.get("attempt_id").asText(), given.get("mission_id").textValue(),
                    given.get("task_id").textValue(), given.get("kind").asText(), given.get("node_id").asText(),
                    Amount.ofQuote(receipt.get("quote").asDouble()), rate, receipt);
            ENTRIES.add(entry);
            TREE.append(MerkleTree.leafHash(entry.canonicalBytes()));
        }
    }

    @Test
    void entriesHaveTheCanonicalBytesAndAmountsComputedInPython() {
        for (int i = 0; i < ENTRIES.size(); i++) {
            JsonNode vector = vectors.get("entries").get(i);
            assertEquals(vector.get("canonical").asText(), new String(ENTRIES.get(i).canonicalBytes(), StandardCharsets.UTF_8),
                    "entry " + i);
            assertEquals(vector.get("leaf_hash").asText(), HEX.formatHex(MerkleTree.leafHash(ENTRIES.get(i).canonicalBytes())));
            assertEquals(ENTRIES.get(i), LedgerEntry.fromJson(vector.get("entry")), "entry " + i + " reads back");
        }
    }

    @Test
    void everyTreeSizeHasThePythonRoot() {
        JsonNode roots = vectors.get("roots");
        assertEquals(ENTRIES.size() + 1, roots.size());
        for (int n = 0; n < roots.size(); n++) {
            assertEquals(roots.get(n).asText(), HEX.formatHex(TREE.root(n)), "root of " + n);
        }
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HEX.formatHex(TREE.root(0)));
    }

    @Test
    void inclusionProofsAreThePythonOnesAndVerify() {
        for (JsonNode vector : vectors.get("inclusion")) {
            int seq = vector.get("seq").asInt();
            int size = vector.get("tree_size").asInt();
            List<byte[]> path = TREE.inclusionProof(seq, size);
            assertEquals(hexList(vector.get("audit_path")), path.stream().map(HEX::formatHex).toList(), seq + " in " + size);
            byte[] root = HEX.parseHex(vectors.get("roots").get(size).asText());
            assertTrue(MerkleTree.verifyInclusion(seq, size, TREE.leaf(seq), path, root), seq + " in " + size);
            assertFalse(MerkleTree.verifyInclusion(seq, size, TREE.leaf((seq + 1) % ENTRIES.size()), path, root),
                    "another leaf passes for " + seq + " in " + size);
            if (!path.isEmpty()) {
                List<byte[]> bent = new ArrayList<>(path);
                byte[] first = bent.get(0).clone();
                first[0] ^= 1;
                bent.set(0, first);
                assertFalse(MerkleTree.verifyInclusion(seq, size, TREE.leaf(seq), bent, root), "a changed path passes");
                assertFalse(seq + 1 < size && MerkleTree.verifyInclusion(seq + 1, size, TREE.leaf(seq), path, root),
                        "the leaf passes at its neighbour's place");
            }
        }
    }

    @Test
    void consistencyProofsAreThePythonOnesAndVerify() {
        for (JsonNode vector : vectors.get("consistency")) {
            int first = vector.get("first").asInt();
            int second = vector.get("second").asInt();
            List<byte[]> proof = TREE.consistencyProof(first, second);
            assertEquals(hexList(vector.get("proof")), proof.stream().map(HEX::formatHex).toList(), first + " -> " + second);
            byte[] firstRoot = HEX.parseHex(vectors.get("roots").get(first).asText());
            byte[] secondRoot = HEX.parseHex(vectors.get("roots").get(second).asText());
            assertTrue(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, proof), first + " -> " + second);
            if (first < second) {
                byte[] other = secondRoot.clone();
                other[31] ^= 1;
                assertFalse(MerkleTree.verifyConsistency(first, second, firstRoot, other, proof), "a changed root passes");
                assertFalse(MerkleTree.verifyConsistency(first, second, secondRoot, firstRoot, proof), "swapped roots pass");
            }
        }
    }

    @Test
    void balancesAreThePythonOnesAndSumToZero() {
        Balances balances = new Balances();
        ENTRIES.forEach(balances::apply);
        JsonNode expected = vectors.get("balances");
        assertEquals(expected, balances.toJson().get("accounts"));
        assertEquals("0.000000000", balances.sum().toString());
    }

    @Test
    void amountsRoundHalfEvenAtNinePlaces() {
        assertEquals("2.000000000", Amount.ofQuote(2.0000000005).toString());
        assertEquals("0.000000002", Amount.ofQuote(1.5e-9).toString());
        assertEquals("0.000000002", Amount.ofQuote(2.5e-9).toString());
        assertEquals("0.000001230", Amount.ofQuote(0.000123).times(new BigDecimal("0.01")).toString());
        assertEquals("-0.000000100", Amount.parse("0.000000100").negate().toString());
        assertEquals("0.300000000", Amount.ofQuote(0.1).plus(Amount.ofQuote(0.2)).toString(), "no binary rounding");
    }

    private static List<String> hexList(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(h -> list.add(h.asText()));
        return list;
    }
}
