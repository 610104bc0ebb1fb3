package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.ledger.Checkpoint;
import com.sheratan.offgrid.ledger.LedgerClient;
import com.sheratan.offgrid.ledger.MerkleTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/ledger}, the dashboard's ledger panel (SPEC 14): the broker's balances and latest
 * signed checkpoint, and whether that checkpoint verifies. It verifies when its signature does with its
 * own key and {@code log_id}, its key is the one this core saw first, and the broker proves (RFC 9162
 * consistency proof) that the tree of the last checkpoint this core verified is a prefix of it: the
 * log only grew. Read when the page asks, never on a job's path.
 */
public final class LedgerView {
    private static final String VERIFIED = "signature ok, and the tree extends every checkpoint this core verified before";
    private final LedgerClient broker;
    private final CoreMode mode;
    /** The last checkpoint that verified: its key is pinned, and every later one must extend its tree. */
    private final AtomicReference<Checkpoint> verified = new AtomicReference<>();

    /** {@code tls}: the mesh's CA to verify an https:// broker with (offgrid.tls.ca-file); null = none set. */
    public LedgerView(String brokerUrl, CoreMode mode, javax.net.ssl.SSLContext tls) {
        this.broker = new LedgerClient(brokerUrl, tls);
        this.mode = mode;
    }

    public void show(Exchange exchange) {
        ObjectNode body = Json.object();
        body.put("broker_url", broker.baseUrl());
        if (mode == CoreMode.DISABLED) {
            body.put("enabled", false);
            body.put("detail", "OFFGRID_MODE=disabled: the broker is not used");
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = broker.checkpoint();
            body.set("balances", broker.balances());
        } catch (LedgerClient.Refused e) {
            boolean off = e.status() == 404 && "ledger_disabled".equals(e.error());
            body.put("enabled", off ? Boolean.FALSE : null);
            body.put("detail", off ? "the broker keeps no ledger (offgrid.broker.ledger.enabled=false)" : e.getMessage());
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        } catch (IOException e) {
            body.putNull("enabled");
            body.put("detail", "the broker's ledger cannot be read: " + e.getMessage());
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        }
        body.put("enabled", true);
        body.set("checkpoint", checkpoint.toJson());
        String refusal = refusal(checkpoint);
        body.put("verified", refusal == null);
        body.put("detail", refusal == null ? VERIFIED : refusal);
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }

    /** Why {@code checkpoint} does not verify, or null when it does (it is then the one later ones must extend). */
    private String refusal(Checkpoint checkpoint) {
        if (!checkpoint.verifies()) {
            return "the checkpoint's signature does not verify with its verify_key (or log_id is not that key's)";
        }
        Checkpoint last = verified.get();
        if (last != null) {
            if (!last.verifyKey().equals(checkpoint.verifyKey())) {
                return "the checkpoint is signed by another key than the one this core saw first (log_id "
                        + last.logId() + ")";
            }
            if (checkpoint.treeSize() < last.treeSize()) {
                return "the log shrank: tree_size " + checkpoint.treeSize() + " after " + last.treeSize();
            }
            String proven = consistent(last, checkpoint);
            if (proven != null) {
                return proven;
            }
        }
        // a concurrent refresh may have verified a larger one: keep the larger
        verified.accumulateAndGet(checkpoint, (a, b) -> a == null || b.treeSize() >= a.treeSize() ? b : a);
        return null;
    }

    private String consistent(Checkpoint first, Checkpoint second) {
        if (first.treeSize() == second.treeSize()) {
            return first.rootHash().equals(second.rootHash()) ? null
                    : "two signed checkpoints of tree_size " + first.treeSize() + " have different roots";
        }
        try {
            JsonNode answer = broker.consistencyProof(first.treeSize(), second.treeSize());
            List<byte[]> proof = new ArrayList<>();
            answer.path("proof").forEach(hash -> proof.add(HexFormat.of().parseHex(hash.asText())));
            return MerkleTree.verifyConsistency(first.treeSize(), second.treeSize(), first.root(), second.root(), proof)
                    ? null : "the consistency proof from tree_size " + first.treeSize() + " to " + second.treeSize()
                    + " does not verify: the log was rewritten";
        } catch (IOException | IllegalArgumentException e) {
            return "no consistency proof from tree_size " + first.treeSize() + " to " + second.treeSize() + ": "
                    + e.getMessage();
        }
    }

}
