package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code ledger verify} (SPEC section 12): recomputes the tree from every entry, checks every
 * checkpoint's signature and root, every receipt's signature and that the balances sum to zero — from
 * the broker's state folder or its PostgreSQL database ({@link #offline}) or from its public endpoints
 * ({@link #online}).
 */
public final class LedgerVerifier {
    /** The verdict: {@code ok} with the entries checked and their root, or the first bad seq and why. */
    public record Verdict(boolean ok, long entries, String root, long badSeq, String reason, List<String> notes) {
        public String line() {
            return ok ? "ledger ok: " + entries + " entries, root " + root
                    : "ledger BAD: first bad seq " + badSeq + ": " + reason;
        }
    }

    private LedgerVerifier() {
    }

    /** Checks the log and checkpoints in a broker's state folder, changing nothing. */
    public static Verdict offline(Path stateDir) throws IOException {
        Path log = stateDir.resolve(CostLedger.LOG_FILE);
        Path checkpointFile = stateDir.resolve(CostLedger.CHECKPOINT_FILE);
        if (!Files.isRegularFile(log) && !Files.isRegularFile(checkpointFile)) {
            throw new IOException("no ledger in " + stateDir + " (neither " + CostLedger.LOG_FILE + " nor "
                    + CostLedger.CHECKPOINT_FILE + ")");
        }
        List<String> notes = new ArrayList<>();
        List<String> checkpointLines = completeLines(checkpointFile, notes);
        Path publicKey = stateDir.resolve(CostLedger.KEY_NAME + ".pub");
        String verifyKey = Files.isRegularFile(publicKey) ? Files.readString(publicKey, StandardCharsets.US_ASCII).strip() : null;
        return fromLines(checkpointLines, completeLines(log, notes), verifyKey, notes);
    }

    /**
     * Checks the ledger a broker keeps in PostgreSQL ({@code offgrid.broker.ledger.store=postgres}), as
     * {@link #offline(Path)} checks the files: every line of both logs, read and not changed.
     */
    public static Verdict offline(PostgresLedgerStorage storage) throws IOException {
        List<String> checkpointLines = new ArrayList<>();
        List<String> logLines = new ArrayList<>();
        try (LedgerLog checkpoints = storage.open(CostLedger.CHECKPOINT_FILE,
                line -> checkpointLines.add(new String(line, StandardCharsets.UTF_8)));
             LedgerLog log = storage.open(CostLedger.LOG_FILE, line -> logLines.add(new String(line, StandardCharsets.UTF_8)))) {
            if (checkpoints.lines() == 0 && log.lines() == 0) {
                throw new IOException("no ledger in " + storage.where() + " (no line of " + CostLedger.LOG_FILE + " nor "
                        + CostLedger.CHECKPOINT_FILE + ")");
            }
        }
        return fromLines(checkpointLines, logLines, storage.verifyKey(), new ArrayList<>());
    }

    private static Verdict fromLines(List<String> checkpointLines, List<String> lines, String verifyKey,
                                     List<String> notes) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (String line : checkpointLines) {
            try {
                checkpoints.add(Checkpoint.fromJson(Json.mapper().readTree(line)));
            } catch (IOException | IllegalArgumentException e) {
                return new Verdict(false, 0, null, checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).treeSize(),
                        CostLedger.CHECKPOINT_FILE + " line " + (checkpoints.size() + 1) + " is not a checkpoint ("
                                + e.getMessage() + ")", notes);
            }
        }
        List<JsonNode> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                records.add(Json.mapper().readTree(lines.get(i)));
            } catch (IOException e) {
                return new Verdict(false, i, null, i, "the line is not JSON", notes);
            }
        }
        return check(records, checkpoints, verifyKey, null, notes);
    }

    /** Checks a running broker's log through its public endpoints, against its latest signed checkpoint. */
    public static Verdict online(LedgerClient broker) throws IOException {
        List<String> notes = new ArrayList<>();
        Checkpoint checkpoint = broker.checkpoint();
        JsonNode balances = broker.balances();
        long size = Math.max(checkpoint.treeSize(), balances.path("tree_size").asLong());
        List<JsonNode> records = broker.records(size);
        notes.add("checked against the checkpoint of tree_size " + checkpoint.treeSize() + " signed at "
                + checkpoint.ts() + ", log_id " + checkpoint.logId());
        return check(records, List.of(checkpoint), null, balances, notes);
    }

    private static Verdict check(List<JsonNode> records, List<Checkpoint> checkpoints, String verifyKey,
                                 JsonNode servedBalances, List<String> notes) {
        try {
            LedgerCheck check = new LedgerCheck(checkpoints, verifyKey, true);
            for (JsonNode record : records) {
                check.add(record);
            }
            check.finish();
            if (servedBalances != null && servedBalances.path("tree_size").asLong() == check.size()
                    && !servedBalances.path("accounts").equals(check.balances().toJson().get("accounts"))) {
                return new Verdict(false, check.size(), null, check.size(), "the broker's /ledger/balances "
                        + servedBalances.path("accounts") + " are not the balances of its entries "
                        + check.balances().toJson().get("accounts"), notes);
            }
            String root = HexFormat.of().formatHex(check.tree().root((int) check.size()));
            return new Verdict(true, check.size(), root, -1, null, notes);
        } catch (LedgerCorrupted e) {
            return new Verdict(false, e.seq(), null, e.seq(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2),
                    notes);
        }
    }

    /** The file's complete lines; a torn last line (never acknowledged) is left out with a note. */
    private static List<String> completeLines(Path file, List<String> notes) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        if (end < text.length()) {
            notes.add(file.getFileName() + " ends in a torn line of " + (text.length() - end)
                    + " characters (a write cut short; the broker cuts it at its next start): not checked");
        }
        return text.substring(0, end).lines().toList();
    }
}
