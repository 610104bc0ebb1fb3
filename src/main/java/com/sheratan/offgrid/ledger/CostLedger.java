package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.ReceiptSigner;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;

/**
 * The broker's cost ledger (SPEC section 12): an append-only log of charges in its state folder,
 * the Merkle tree over them, signed checkpoints, and the balances. A charge is made once per
 * (job_id, attempt_id) and is on disk before {@link #charge} returns it; what the read methods show
 * (entries, proofs, balances, checkpoints) is only ever what is on disk.
 *
 * <p>Files: {@code ledger.jsonl} (one record {@code {entry, leaf_hash, seq}} per line, canonical
 * JSON), {@code ledger-checkpoints.jsonl} (one signed checkpoint per line) and the key pair
 * {@code ledger-key.pk8}/{@code .pub}. At start both logs are checked against each other
 * ({@link LedgerCheck}); a torn last line is cut off with a WARN, any other mismatch refuses to open.
 */
public final class CostLedger implements Closeable {
    public static final String LOG_FILE = "ledger.jsonl";
    public static final String CHECKPOINT_FILE = "ledger-checkpoints.jsonl";
    public static final String KEY_NAME = "ledger-key";
    private static final Logger LOG = EscapingLogger.of(CostLedger.class);
    private static final HexFormat HEX = HexFormat.of();

    /** What the broker charges: one run with the host's receipt, at the winning bid's quote. */
    public record ChargeRequest(String jobId, String attemptId, String missionId, String taskId, String kind,
                                String nodeId, double quote, JsonNode receipt) {
    }

    /** The entry a run is charged under; {@code fresh} is false when the attempt was charged before. */
    public record Charge(long seq, Amount amount, String leafHash, boolean fresh) {
        /** {@code {seq, amount, leaf_hash}}, as the auction answer carries it. */
        public ObjectNode toJson() {
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("seq", seq);
            json.put("amount", amount.toString());
            json.put("leaf_hash", leafHash);
            return json;
        }
    }

    private final LedgerStorage storage;
    private final LedgerLog log;
    private final LedgerLog checkpoints;
    private final KeyPair key;
    private final BigDecimal reserveRate;
    private final Clock clock;
    private final MerkleTree tree;
    private final Balances balances;
    private final Object lock = new Object();
    private final SeqIndex index;
    /** written, not yet known to be on disk; their balances are applied once they are */
    private final ArrayDeque<LedgerEntry> undurable = new ArrayDeque<>();
    private final Object checkpointLock = new Object();
    private volatile long visible;
    private volatile Checkpoint latest;
    private volatile IOException failure;

    private CostLedger(LedgerStorage storage, LedgerLog log, LedgerLog checkpoints, KeyPair key, BigDecimal reserveRate, Clock clock,
                       LedgerCheck check, SeqIndex index, Checkpoint latest) {
        this.storage = storage;
        this.log = log;
        this.checkpoints = checkpoints;
        this.key = key;
        this.reserveRate = reserveRate;
        this.clock = clock;
        this.tree = check.tree();
        this.balances = check.balances();
        this.visible = tree.size();
        this.latest = latest;
        this.index = index;
    }

    /**
     * Opens the ledger in {@code stateDir}, checking it against its signed checkpoints. A log that
     * does not match throws {@link IllegalStateException} naming the file and the first bad seq.
     */
    public static CostLedger open(Path stateDir, BigDecimal reserveRate, Clock clock) {
        return open(LedgerStorage.files(stateDir), reserveRate, clock);
    }

    /**
     * Opens the ledger kept in {@code storage} (files, or PostgreSQL: SPEC 15), checking it against its
     * signed checkpoints as {@link #open(Path, BigDecimal, Clock)} does; closing the ledger closes the storage.
     */
    public static CostLedger open(LedgerStorage storage, BigDecimal reserveRate, Clock clock) {
        String where = storage.where();
        LedgerLog checkpointFile = null;
        LedgerLog logFile = null;
        try {
            KeyPair key = storage.keyPair();
            String verifyKey = ReceiptSigner.encodeVerifyKey(key.getPublic());
            List<Checkpoint> signed = new ArrayList<>();
            String checkpointsAt = where + "/" + CHECKPOINT_FILE;
            checkpointFile = storage.open(CHECKPOINT_FILE, line -> signed.add(readCheckpoint(checkpointsAt, signed.size(),
                    line)));
            LedgerCheck check = new LedgerCheck(signed, verifyKey, false);
            SeqIndex index = new SeqIndex();
            logFile = storage.open(LOG_FILE, line -> {
                LedgerEntry entry = check.add(parse(line, check.size()));
                index.add((int) entry.seq(), entry.jobId(), entry.attemptId());
            });
            check.finish();
            cutTorn(checkpointFile, "checkpoint");
            cutTorn(logFile, "entry");
            Checkpoint latest = signed.isEmpty() ? null : signed.get(signed.size() - 1);
            CostLedger ledger = new CostLedger(storage, logFile, checkpointFile, key, reserveRate, clock, check, index,
                    latest);
            ledger.checkpoint();
            LOG.info("ledger {}: {} entries checked against {} signed checkpoints, root {}, log_id {}", logFile.where(),
                    check.size(), signed.size(), ledger.latest.rootHash(), ledger.latest.logId());
            return ledger;
        } catch (LedgerCorrupted e) {
            // without the cause: the launcher shows the root cause's message, and this one says where
            closeQuietly(logFile, checkpointFile, storage);
            throw new IllegalStateException("the ledger in " + where + " (" + LOG_FILE + ", " + CHECKPOINT_FILE
                    + ") does not match what the broker wrote, "
                    + e.getMessage() + "; the broker does not start on a changed ledger (restore the file, or move "
                    + LOG_FILE + " and " + CHECKPOINT_FILE + " aside to start an empty one)");
        } catch (IOException e) {
            closeQuietly(logFile, checkpointFile, storage);
            throw new UncheckedIOException("cannot open the ledger in " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(logFile, checkpointFile, storage);
            throw e;
        }
    }

    private static Checkpoint readCheckpoint(String file, int line, byte[] bytes) {
        try {
            return Checkpoint.fromJson(Json.mapper().readTree(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the ledger's checkpoint file " + file + " line " + (line + 1)
                    + " is not a checkpoint (" + e.getMessage() + "); the broker does not start on a changed ledger");
        }
    }

    private static JsonNode parse(byte[] line, long seq) {
        try {
            return Json.mapper().readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LedgerCorrupted(seq, "the line is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cutTorn(LedgerLog file, String what) throws IOException {
        if (file.tornBytes() > 0) {
            LOG.warn("{}: cut off a torn last line of {} bytes after {} complete {} lines (a write cut short by a crash,"
                    + " never acknowledged)", file.where(), file.tornBytes(), file.lines(), what);
            file.cutTornTail();
        }
    }

    private static void closeQuietly(Closeable... files) {
        for (Closeable file : files) {
            try {
                if (file != null) {
                    file.close();
                }
            } catch (IOException e) {
                LOG.debug("closing {} failed", file, e);
            }
        }
    }

    /** Whether the entry at {@code seq} charged this attempt (a fingerprint of the ids is shared by others). */
    private boolean isAttempt(int seq, String jobId, String attemptId) {
        try {
            JsonNode entry = Json.mapper().readTree(log.read(seq)).path("entry");
            return jobId.equals(entry.path("job_id").asText()) && attemptId.equals(entry.path("attempt_id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read entry " + seq + " of the ledger: " + e.getMessage(), e);
        }
    }

    /**
     * Charges a run once: a new entry, on disk when this returns, or the entry the attempt already
     * has. Throws when the entry cannot be written; after a failed write or fsync the ledger takes
     * no more charges until the broker restarts (and cuts what may be a torn line).
     */
    public Charge charge(ChargeRequest run) throws IOException {
        int seq;
        byte[] leaf;
        Amount amount = null;
        boolean fresh;
        synchronized (lock) {
            Integer known = index.attempt(run.jobId(), run.attemptId(), this::isAttempt);
            if (known != null) {
                seq = known;
                leaf = tree.leaf(seq);
                fresh = false;
            } else {
                if (failure != null) {
                    throw new IOException("the ledger takes no charges since a write failed: " + failure.getMessage(), failure);
                }
                seq = tree.size();
                LedgerEntry entry = LedgerEntry.charge(seq, clock.instant().toString(), run.jobId(), run.attemptId(),
                        run.missionId(), run.taskId(), run.kind(), run.nodeId(), Amount.ofQuote(run.quote()),
                        reserveRate, run.receipt());
                byte[] canonical = entry.canonicalBytes();
                leaf = MerkleTree.leafHash(canonical);
                try {
                    log.append(record(seq, leaf, canonical));
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                tree.append(leaf);
                index.add(seq, run.jobId(), run.attemptId());
                undurable.add(entry);
                amount = entry.amount();
                fresh = true;
            }
        }
        try {
            log.awaitDurable(seq + 1);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        publishDurable();
        if (amount == null) {
            amount = Amount.parse(record(seq).path("entry").path("amount").asText());
        }
        return new Charge(seq, amount, HEX.formatHex(leaf), fresh);
    }

    /** The canonical record {@code {entry, leaf_hash, seq}}, keys in sorted order. */
    private static byte[] record(long seq, byte[] leaf, byte[] canonicalEntry) {
        byte[] head = "{\"entry\":".getBytes(StandardCharsets.UTF_8);
        byte[] tail = (",\"leaf_hash\":\"" + HEX.formatHex(leaf) + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[head.length + canonicalEntry.length + tail.length];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(canonicalEntry, 0, line, head.length, canonicalEntry.length);
        System.arraycopy(tail, 0, line, head.length + canonicalEntry.length, tail.length);
        return line;
    }

    private void publishDurable() {
        int durable = log.durable();
        synchronized (lock) {
            while (!undurable.isEmpty() && undurable.peek().seq() < durable) {
                balances.apply(undurable.poll());
            }
            visible = balances.treeSize();
        }
    }

    /** Entries on disk: what every read shows. */
    public long size() {
        return visible;
    }

    /**
     * Signs a checkpoint of the entries on disk when there are more than the last one covers, and
     * returns the latest checkpoint.
     */
    public Checkpoint checkpoint() throws IOException {
        synchronized (checkpointLock) {
            long size = visible;
            Checkpoint last = latest;
            if (last != null && last.treeSize() == size) {
                return last;
            }
            Checkpoint next = Checkpoint.sign(size, tree.root((int) size), clock.instant(), key);
            int lines = checkpoints.append(next.canonicalBytes());
            checkpoints.awaitDurable(lines);
            latest = next;
            return next;
        }
    }

    public Checkpoint latestCheckpoint() {
        return latest;
    }

    /** The write or fsync that failed, after which the ledger takes no charges; null while all went well. */
    public IOException writeFailure() {
        return failure;
    }

    public String verifyKey() {
        return latest.verifyKey();
    }

    /** The record {@code {entry, leaf_hash, seq}} of entry {@code seq}; null when there is none on disk. */
    public ObjectNode record(long seq) throws IOException {
        if (seq < 0 || seq >= visible) {
            return null;
        }
        return (ObjectNode) Json.mapper().readTree(log.read((int) seq));
    }

    /** Records {@code start} .. {@code start + limit - 1}, as far as the log reaches. */
    public List<ObjectNode> records(long start, int limit) throws IOException {
        List<ObjectNode> list = new ArrayList<>();
        long end = Math.min(visible, start + limit);
        for (long seq = start; seq < end; seq++) {
            list.add(record(seq));
        }
        return list;
    }

    /** The records of every charge of one job, oldest first. */
    public List<ObjectNode> recordsOfJob(String jobId) throws IOException {
        int[] seqs;
        synchronized (lock) {
            seqs = index.job(jobId);
        }
        List<ObjectNode> list = new ArrayList<>();
        for (int seq : seqs) {
            ObjectNode record = record(seq);
            if (record != null && jobId.equals(record.path("entry").path("job_id").asText())) {
                list.add(record);
            }
        }
        return list;
    }

    public String leafHash(long seq) {
        return HEX.formatHex(tree.leaf((int) seq));
    }

    /** RFC 9162 inclusion proof, hex; a seq or size outside the log on disk throws with the reason. */
    public List<String> inclusionProof(long seq, long treeSize) {
        checkTreeSize("tree_size", treeSize);
        if (seq < 0 || seq >= treeSize) {
            throw new IllegalArgumentException("seq " + seq + " is not in a tree of " + treeSize + " entries"
                    + " (0 <= seq < tree_size)");
        }
        return hex(tree.inclusionProof((int) seq, (int) treeSize));
    }

    /** RFC 9162 consistency proof between two sizes, hex; sizes outside the log on disk throw with the reason. */
    public List<String> consistencyProof(long first, long second) {
        checkTreeSize("second", second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("first " + first + " must be between 0 and second " + second);
        }
        return hex(tree.consistencyProof((int) first, (int) second));
    }

    /** The root of the first {@code treeSize} entries, hex. */
    public String root(long treeSize) {
        checkTreeSize("tree_size", treeSize);
        return HEX.formatHex(tree.root((int) treeSize));
    }

    private void checkTreeSize(String name, long size) {
        long onDisk = visible;
        if (size < 0 || size > onDisk) {
            throw new IllegalArgumentException(name + " " + size + " is beyond the log's " + onDisk + " entries");
        }
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    /** {@code {tree_size, accounts, sum}} over the entries on disk. */
    public ObjectNode balances() {
        synchronized (lock) {
            return balances.toJson();
        }
    }

    /** Signs a last checkpoint and closes the files. */
    @Override
    public void close() throws IOException {
        try {
            if (failure == null) {
                checkpoint();
            }
        } finally {
            closeQuietly(log, checkpoints, storage);
        }
    }
}
