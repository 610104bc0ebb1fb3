package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.CanonicalJson;
import com.sheratan.offgrid.security.ReceiptVerifier;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code ledger audit} (SPEC section 12): a host checks that each of its signed receipts for a
 * completed run is charged in the broker's log — an entry holding that very receipt, whose leaf hash
 * the host recomputes, with an inclusion proof under the broker's latest signed checkpoint.
 */
public final class ReceiptAudit {
    /** A receipt that is not provably charged, and why. */
    public record Uncharged(String jobId, String attemptId, String reason) {
        @Override
        public String toString() {
            return "job " + jobId + " attempt " + attemptId + ": " + reason;
        }
    }

    /** What the audit found: how many receipts, how many proven, under which checkpoint, and the rest. */
    public record Report(int receipts, int proven, Checkpoint checkpoint, List<Uncharged> uncharged) {
    }

    private ReceiptAudit() {
    }

    /** {@code attemptsDir}: the host's {@code <state-dir>/<node-id>/attempts}, one kept answer per attempt. */
    public static Report audit(Path attemptsDir, String nodeId, LedgerClient broker) throws IOException {
        Checkpoint checkpoint = broker.checkpoint();
        if (!checkpoint.verifies()) {
            throw new IOException("the broker's checkpoint does not verify with its own key");
        }
        int receipts = 0;
        int proven = 0;
        List<Uncharged> uncharged = new ArrayList<>();
        if (!Files.isDirectory(attemptsDir)) {
            throw new IOException("no attempts folder " + attemptsDir + " (is --host-home the host's working folder"
                    + " and --node-id its node id?)");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(attemptsDir, "*.json")) {
            for (Path file : files) {
                JsonNode answer = Json.mapper().readTree(file.toFile()).path("body");
                JsonNode receipt = answer.get("receipt");
                if (!answer.path("ok").asBoolean(false) || receipt == null || !receipt.isObject()
                        || !nodeId.equals(receipt.path("node_id").asText())) {
                    continue; // not a completed run of this host with a receipt
                }
                receipts++;
                String problem = ReceiptVerifier.verify(receipt) ? provenCharge(receipt, checkpoint, broker)
                        : "the host's own receipt does not verify";
                if (problem == null) {
                    proven++;
                } else {
                    uncharged.add(new Uncharged(receipt.path("job_id").asText(), receipt.path("attempt_id").asText(), problem));
                }
            }
        }
        return new Report(receipts, proven, checkpoint, uncharged);
    }

    /** Null when the receipt is charged and proven under the checkpoint, else why not. */
    private static String provenCharge(JsonNode receipt, Checkpoint checkpoint, LedgerClient broker) throws IOException {
        String receiptSha = LedgerEntry.receiptSha256(receipt);
        String attemptId = receipt.path("attempt_id").asText();
        JsonNode charge = null;
        for (JsonNode record : broker.recordsOfJob(receipt.path("job_id").asText()).path("entries")) {
            JsonNode entry = record.path("entry");
            if (attemptId.equals(entry.path("attempt_id").asText())) {
                charge = record;
            }
        }
        if (charge == null) {
            return "no charge of this attempt in the log";
        }
        JsonNode entry = charge.path("entry");
        if (!receiptSha.equals(entry.path("receipt_sha256").asText()) || !receipt.equals(entry.path("receipt"))) {
            return "the attempt is charged (seq " + charge.path("seq").asLong() + ") with another receipt, to "
                    + entry.path("payee").asText();
        }
        long seq = charge.path("seq").asLong();
        if (seq >= checkpoint.treeSize()) {
            return "charged as seq " + seq + ", but not yet under a signed checkpoint (tree_size "
                    + checkpoint.treeSize() + "); audit again in a moment";
        }
        byte[] leaf = MerkleTree.leafHash(CanonicalJson.bytes(entry));
        JsonNode proof = broker.inclusionProof(seq, checkpoint.treeSize());
        List<byte[]> path = new ArrayList<>();
        proof.path("audit_path").forEach(h -> path.add(HexFormat.of().parseHex(h.asText())));
        if (!MerkleTree.verifyInclusion(seq, checkpoint.treeSize(), leaf, path, checkpoint.root())) {
            return "charged as seq " + seq + ", but its inclusion proof does not lead to the signed root "
                    + checkpoint.rootHash();
        }
        return null;
    }
}
