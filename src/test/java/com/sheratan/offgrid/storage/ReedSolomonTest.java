package com.sheratan.offgrid.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The codec against vectors computed without it (src/test/resources/storage/rs_vectors.py: bitwise
 * GF(2^8) arithmetic, the same Cauchy matrix), and rebuilding from every combination of up to m
 * removed shards for several (k, m).
 */
class ReedSolomonTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void parityMatchesIndependentlyComputedVectors() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/storage/rs-vectors.json")) {
            vectors = Json.mapper().readTree(in);
        }
        int cases = 0;
        for (JsonNode vector : vectors.get("cases")) {
            int k = vector.get("k").asInt();
            int m = vector.get("m").asInt();
            int size = vector.get("shard_bytes").asInt();
            byte[][] shards = new byte[k + m][size];
            for (int j = 0; j < k; j++) {
                shards[j] = HEX.parseHex(vector.get("data").get(j).asText());
            }
            ReedSolomon codec = new ReedSolomon(k, m);
            codec.encodeParity(shards, 0, size);
            // the same in the arrays newShards gives (with k = 1 the first parity shares the data's array)
            byte[][] shared = codec.newShards(size);
            for (int j = 0; j < k; j++) {
                System.arraycopy(shards[j], 0, shared[j], 0, size);
            }
            codec.encodeParity(shared, 0, size);
            for (int i = 0; i < m; i++) {
                byte[] expected = HEX.parseHex(vector.get("parity").get(i).asText());
                assertArrayEquals(expected, shards[k + i], "parity " + i + " of k=" + k + " m=" + m);
                assertArrayEquals(expected, shared[k + i], "parity " + i + " of k=" + k + " m=" + m + " in newShards");
            }
            for (int j = 0; j < k; j++) {
                assertArrayEquals(HEX.parseHex(vector.get("data").get(j).asText()), shared[j], "data " + j + " unchanged");
            }
            cases++;
        }
        assertTrue(cases >= 5, "the vector file holds the cases");
    }

    @Test
    void aReplicaSharesTheDataShardsArrayOnlyWhereItIsACopy() {
        byte[][] two = new ReedSolomon(1, 1).newShards(8);
        assertSame(two[0], two[1], "rs-1-1: the parity shard is the data shard");
        byte[][] three = new ReedSolomon(1, 2).newShards(8);
        assertSame(three[0], three[1]);
        assertNotSame(three[0], three[2], "the second parity row of rs-1-2 is not [1]");
        byte[][] coded = new ReedSolomon(2, 1).newShards(8);
        assertNotSame(coded[0], coded[2]);
        assertNotSame(coded[1], coded[2]);
    }

    @Test
    void everyCombinationOfUpToMMissingShardsIsRebuilt() {
        int[][] schemes = {{1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 2}, {4, 2}, {4, 3}, {5, 3}, {6, 4}};
        Random random = new Random(26);
        for (int[] scheme : schemes) {
            int k = scheme[0];
            int m = scheme[1];
            ReedSolomon codec = new ReedSolomon(k, m);
            int size = 1000 + random.nextInt(40_000);
            byte[][] original = new byte[k + m][size];
            for (int j = 0; j < k; j++) {
                random.nextBytes(original[j]);
            }
            codec.encodeParity(original, 0, size);
            for (int mask = 0; mask < 1 << (k + m); mask++) {
                if (Integer.bitCount(mask) > m) {
                    continue;
                }
                byte[][] shards = new byte[k + m][];
                boolean[] present = new boolean[k + m];
                for (int i = 0; i < k + m; i++) {
                    present[i] = (mask & (1 << i)) == 0;
                    shards[i] = present[i] ? original[i].clone() : new byte[size];
                }
                codec.decodeMissing(shards, present, 0, size);
                for (int i = 0; i < k + m; i++) {
                    assertArrayEquals(original[i], shards[i], "k=" + k + " m=" + m + " missing mask " + mask + " shard " + i);
                }
            }
        }
    }

    @Test
    void aPartOfEachShardIsCodedAlone() {
        ReedSolomon codec = new ReedSolomon(4, 2);
        Random random = new Random(7);
        byte[][] whole = new byte[6][100];
        for (int j = 0; j < 4; j++) {
            random.nextBytes(whole[j]);
        }
        codec.encodeParity(whole, 0, 100);
        byte[][] parts = new byte[6][];
        for (int i = 0; i < 6; i++) {
            parts[i] = whole[i].clone();
        }
        parts[4] = new byte[100];
        parts[5] = new byte[100];
        codec.encodeParity(parts, 0, 40);
        codec.encodeParity(parts, 40, 60);
        assertArrayEquals(whole[4], parts[4]);
        assertArrayEquals(whole[5], parts[5]);
    }

    @Test
    void fewerThanKShardsCannotBeDecoded() {
        ReedSolomon codec = new ReedSolomon(3, 2);
        byte[][] shards = new byte[5][10];
        boolean[] present = {true, false, false, true, false};
        assertThrows(IllegalArgumentException.class, () -> codec.decodeMissing(shards, present, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(200, 57));
    }
}
