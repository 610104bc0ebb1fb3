package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.CanonicalJson;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.security.ReceiptSigner;
import com.sheratan.offgrid.security.ReceiptVerifier;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed statement of the log's state (SPEC section 12): {@code tree_size} entries have the root
 * {@code root_hash}. {@code sig} is Base64 Ed25519 over the canonical JSON of the checkpoint without
 * {@code sig}; {@code log_id} is the hex SHA-256 of the verify key's bytes (X.509), so a checkpoint
 * names the log it belongs to.
 */
public record Checkpoint(long treeSize, String rootHash, String ts, String logId, String sigAlgo, String verifyKey,
                         String sig) {
    public static final String SIG_ALGO = "Ed25519";

    public static Checkpoint sign(long treeSize, byte[] root, Instant now, KeyPair key) {
        ReceiptSigner signer = new ReceiptSigner(key);
        Checkpoint unsigned = new Checkpoint(treeSize, HexFormat.of().formatHex(root), now.toString(),
                logIdOf(signer.verifyKey()), SIG_ALGO, signer.verifyKey(), null);
        return unsigned.withSig(Base64.getEncoder().encodeToString(signer.sign(unsigned.signedBytes())));
    }

    /** Hex SHA-256 of the bytes of a Base64 verify key. */
    public static String logIdOf(String verifyKey) {
        return Digests.sha256Hex(Base64.getDecoder().decode(verifyKey));
    }

    private Checkpoint withSig(String signature) {
        return new Checkpoint(treeSize, rootHash, ts, logId, sigAlgo, verifyKey, signature);
    }

    public byte[] root() {
        return HexFormat.of().parseHex(rootHash);
    }

    /** True when the signature verifies with the checkpoint's own key and {@code log_id} is that key's. */
    public boolean verifies() {
        if (!SIG_ALGO.equals(sigAlgo) || verifyKey == null || sig == null || logId == null) {
            return false;
        }
        try {
            return logId.equals(logIdOf(verifyKey)) && ReceiptVerifier.verifySignature(verifyKey, signedBytes(), sig);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The bytes the signature covers: the canonical checkpoint without {@code sig}. */
    public byte[] signedBytes() {
        ObjectNode json = toJson();
        json.remove("sig");
        return CanonicalJson.bytes(json);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("tree_size", treeSize);
        json.put("root_hash", rootHash);
        json.put("ts", ts);
        json.put("log_id", logId);
        json.put("sig_algo", sigAlgo);
        json.put("verify_key", verifyKey);
        json.put("sig", sig);
        return json;
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(toJson());
    }

    /** Reads a checkpoint; a field missing or of the wrong type throws with its name. */
    public static Checkpoint fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the checkpoint is not a JSON object");
        }
        JsonNode size = json.get("tree_size");
        if (size == null || !size.isIntegralNumber() || size.asLong() < 0) {
            throw new IllegalArgumentException("tree_size is not a whole number >= 0");
        }
        String root = text(json, "root_hash");
        if (!root.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("root_hash is not 64 lowercase hex digits");
        }
        return new Checkpoint(size.asLong(), root, text(json, "ts"), text(json, "log_id"), text(json, "sig_algo"),
                text(json, "verify_key"), text(json, "sig"));
    }

    private static String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(name + " is missing or not a string");
        }
        return value.asText();
    }
}
