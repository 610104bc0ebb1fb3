package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.CanonicalJson;
import com.sheratan.offgrid.security.Digests;

/**
 * One leaf of the ledger (SPEC section 12): a {@code charge} of one run, {@code amount} debited from
 * the payer ({@code mission:<id or none>}), {@code host_amount} credited to the payee
 * ({@code host:<node_id>}) and {@code reserve} to the mesh's reserve. Its canonical JSON
 * ({@link CanonicalJson}) is what the leaf hash covers.
 */
public record LedgerEntry(long seq, String type, String ts, String jobId, String attemptId, String missionId,
                          String taskId, String kind, String nodeId, String payer, String payee, Amount amount,
                          Amount reserve, Amount hostAmount, String receiptSha256, JsonNode receipt) {
    public static final String CHARGE = "charge";
    public static final String RESERVE_ACCOUNT = "reserve";

    /** A charge of {@code amount}, of which {@code reserveRate} goes to the reserve, for one host's receipt. */
    public static LedgerEntry charge(long seq, String ts, String jobId, String attemptId, String missionId,
                                     String taskId, String kind, String nodeId, Amount amount,
                                     java.math.BigDecimal reserveRate, JsonNode receipt) {
        Amount reserve = amount.times(reserveRate);
        return new LedgerEntry(seq, CHARGE, ts, jobId, attemptId, missionId, taskId, kind, nodeId,
                payerOf(missionId), payeeOf(nodeId), amount, reserve, amount.minus(reserve),
                receiptSha256(receipt), receipt);
    }

    public static String payerOf(String missionId) {
        return "mission:" + (missionId == null ? "none" : missionId);
    }

    public static String payeeOf(String nodeId) {
        return "host:" + nodeId;
    }

    /** Hex SHA-256 of the receipt's canonical JSON, {@code sig} included. */
    public static String receiptSha256(JsonNode receipt) {
        return Digests.sha256Hex(CanonicalJson.bytes(receipt));
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("seq", seq);
        json.put("type", type);
        json.put("ts", ts);
        json.put("job_id", jobId);
        json.put("attempt_id", attemptId);
        json.put("mission_id", missionId);
        json.put("task_id", taskId);
        json.put("kind", kind);
        json.put("node_id", nodeId);
        json.put("payer", payer);
        json.put("payee", payee);
        json.put("amount", amount.toString());
        json.put("reserve", reserve.toString());
        json.put("host_amount", hostAmount.toString());
        json.put("receipt_sha256", receiptSha256);
        json.set("receipt", receipt);
        return json;
    }

    /** The bytes the leaf hash covers. */
    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(toJson());
    }

    /**
     * Reads an entry and checks that it is one the broker could have written: every field of the
     * right type, amounts with 9 fraction digits, {@code amount = reserve + host_amount}, payer and
     * payee named after the mission and node, the receipt's hash and its ids those of the entry.
     * The message of the exception says what is wrong.
     */
    public static LedgerEntry fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the entry is not a JSON object");
        }
        JsonNode seqNode = json.get("seq");
        if (seqNode == null || !seqNode.canConvertToLong() || !seqNode.isIntegralNumber()) {
            throw new IllegalArgumentException("seq is not a whole number");
        }
        String type = text(json, "type", false);
        if (!CHARGE.equals(type)) {
            throw new IllegalArgumentException("type is '" + type + "', not 'charge'");
        }
        JsonNode receipt = json.get("receipt");
        if (receipt == null || !receipt.isObject()) {
            throw new IllegalArgumentException("receipt is not an object");
        }
        LedgerEntry entry = new LedgerEntry(seqNode.asLong(), type, text(json, "ts", false), text(json, "job_id", false),
                text(json, "attempt_id", false), text(json, "mission_id", true), text(json, "task_id", true),
                text(json, "kind", false), text(json, "node_id", false), text(json, "payer", false),
                text(json, "payee", false), amount(json, "amount"), amount(json, "reserve"),
                amount(json, "host_amount"), text(json, "receipt_sha256", false), receipt);
        entry.checkConsistent();
        return entry;
    }

    private void checkConsistent() {
        if (amount.value().signum() < 0 || reserve.value().signum() < 0 || hostAmount.value().signum() < 0) {
            throw new IllegalArgumentException("an amount is negative");
        }
        if (!reserve.plus(hostAmount).equals(amount)) {
            throw new IllegalArgumentException("reserve " + reserve + " + host_amount " + hostAmount
                    + " is not amount " + amount);
        }
        if (!payer.equals(payerOf(missionId))) {
            throw new IllegalArgumentException("payer '" + payer + "' is not the mission's account " + payerOf(missionId));
        }
        if (!payee.equals(payeeOf(nodeId))) {
            throw new IllegalArgumentException("payee '" + payee + "' is not the host's account " + payeeOf(nodeId));
        }
        if (!receiptSha256.equals(receiptSha256(receipt))) {
            throw new IllegalArgumentException("receipt_sha256 is not the SHA-256 of the receipt");
        }
        for (String[] field : new String[][] {{"node_id", nodeId}, {"job_id", jobId}, {"attempt_id", attemptId},
                {"kind", kind}}) {
            if (!field[1].equals(receipt.path(field[0]).asText(null))) {
                throw new IllegalArgumentException("the receipt's " + field[0] + " is not the entry's '" + field[1] + "'");
            }
        }
    }

    private static String text(JsonNode json, String name, boolean nullable) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            if (nullable && value != null) {
                return null;
            }
            throw new IllegalArgumentException(name + " is missing");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return value.asText();
    }

    private static Amount amount(JsonNode json, String name) {
        try {
            return Amount.parse(text(json, name, false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
