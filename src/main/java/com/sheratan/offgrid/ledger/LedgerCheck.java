package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.security.CanonicalJson;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.security.VerifyKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks a ledger entry by entry against its signed checkpoints, the same way at the broker's start
 * and in {@code ledger verify}: every record is {@code {seq, leaf_hash, entry}} with {@code seq} its
 * position, {@code leaf_hash} the hash of the entry's canonical bytes, the entry consistent in itself
 * and the only one of its (job_id, attempt_id); every checkpoint is signed by the log's key and its
 * root is the root of the tree recomputed from the entries. The first problem throws
 * {@link LedgerCorrupted} naming the first bad seq.
 */
public final class LedgerCheck {
    private static final HexFormat HEX = HexFormat.of();

    private final List<Checkpoint> checkpoints;
    private final boolean checkReceipts;
    private final MerkleTree tree = new MerkleTree();
    private final Balances balances = new Balances();
    private final Set<String> attempts = new HashSet<>();
    private final VerifyKeys keys = new VerifyKeys();
    private int nextCheckpoint;
    private long vouchedSize;

    /**
     * {@code verifyKey}: the log's key the checkpoints must be signed with, or null to take the first
     * checkpoint's; {@code checkReceipts}: also verify each receipt's own signature (the CLI does; the
     * broker's start does not need to, it checked each receipt before it charged it).
     */
    public LedgerCheck(List<Checkpoint> checkpoints, String verifyKey, boolean checkReceipts) {
        this.checkReceipts = checkReceipts;
        List<Checkpoint> sorted = new ArrayList<>(checkpoints);
        sorted.sort(Comparator.comparingLong(Checkpoint::treeSize));
        String key = verifyKey;
        for (Checkpoint checkpoint : checkpoints) {
            if (key == null) {
                key = checkpoint.verifyKey();
            }
            if (!checkpoint.verifies() || !checkpoint.verifyKey().equals(key)) {
                throw new LedgerCorrupted(checkpoint.treeSize(), "the checkpoint of tree_size " + checkpoint.treeSize()
                        + " signed at " + checkpoint.ts() + (checkpoint.verifies() ? " is signed by another key than the log's"
                        : " has a signature that does not verify"));
            }
        }
        this.checkpoints = sorted;
        checkCheckpointsReached();
    }

    /** Checks the next record and adds its entry to the tree and the balances; returns the entry. */
    public LedgerEntry add(JsonNode record) {
        long seq = tree.size();
        if (record == null || !record.isObject()) {
            throw new LedgerCorrupted(seq, "the line is not a JSON object");
        }
        JsonNode seqNode = record.get("seq");
        if (seqNode == null || !seqNode.isIntegralNumber()) {
            throw new LedgerCorrupted(seq, "the record has no whole-number seq");
        }
        if (seqNode.asLong() != seq) {
            throw new LedgerCorrupted(seq, seqNode.asLong() > seq
                    ? "missing: the next record holds seq " + seqNode.asLong()
                    : "the record at this place holds seq " + seqNode.asLong() + " (a repeated or moved entry)");
        }
        LedgerEntry entry;
        try {
            entry = LedgerEntry.fromJson(record.get("entry"));
        } catch (IllegalArgumentException e) {
            throw new LedgerCorrupted(seq, "the entry is not valid: " + e.getMessage());
        }
        if (entry.seq() != seq) {
            throw new LedgerCorrupted(seq, "the entry says seq " + entry.seq());
        }
        byte[] canonical = entry.canonicalBytes();
        if (!Arrays.equals(canonical, CanonicalJson.bytes(record.get("entry")))) {
            throw new LedgerCorrupted(seq, "the entry has fields a ledger entry does not have");
        }
        byte[] leaf = MerkleTree.leafHash(canonical);
        if (!HEX.formatHex(leaf).equals(record.path("leaf_hash").asText(""))) {
            throw new LedgerCorrupted(seq, "the entry does not match its leaf_hash (the entry or the hash was edited)");
        }
        if (!attempts.add(entry.jobId() + '\u0000' + entry.attemptId())) {
            throw new LedgerCorrupted(seq, "a second charge of job " + entry.jobId() + " attempt " + entry.attemptId());
        }
        if (checkReceipts && !ReceiptVerifier.verify(entry.receipt(), keys)) {
            throw new LedgerCorrupted(seq, "the receipt's signature does not verify with its verify_key");
        }
        tree.append(leaf);
        balances.apply(entry);
        checkCheckpointsReached();
        return entry;
    }

    private void checkCheckpointsReached() {
        while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).treeSize() == tree.size()) {
            Checkpoint checkpoint = checkpoints.get(nextCheckpoint++);
            byte[] root = tree.root(tree.size());
            if (!Arrays.equals(root, checkpoint.root())) {
                throw new LedgerCorrupted(vouchedSize, "the root of the first " + checkpoint.treeSize() + " entries is "
                        + HEX.formatHex(root) + ", not the root " + checkpoint.rootHash() + " of the checkpoint signed at "
                        + checkpoint.ts() + ": an entry from seq " + vouchedSize + " to " + (checkpoint.treeSize() - 1)
                        + " was changed");
            }
            vouchedSize = checkpoint.treeSize();
        }
    }

    /** After the last record: a checkpoint of more entries than there are means entries are missing. */
    public void finish() {
        if (nextCheckpoint < checkpoints.size()) {
            Checkpoint checkpoint = checkpoints.get(checkpoints.size() - 1);
            throw new LedgerCorrupted(tree.size(), "missing: the log ends after " + tree.size()
                    + " entries, but the checkpoint signed at " + checkpoint.ts() + " covers " + checkpoint.treeSize());
        }
        if (!balances.sum().isZero()) {
            throw new LedgerCorrupted(tree.size(), "the balances sum to " + balances.sum() + ", not zero");
        }
    }

    public MerkleTree tree() {
        return tree;
    }

    public Balances balances() {
        return balances;
    }

    public long size() {
        return tree.size();
    }
}
