package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.math.BigDecimal;

/**
 * What a job cost (SPEC section 12): the broker's ledger entry for the attempt that completed it —
 * {@code amount} (a decimal string with 9 fraction digits), its {@code ledger_seq} and
 * {@code leaf_hash}, by which anyone can ask the broker for the entry and its inclusion proof.
 */
public record JobCost(String amount, long ledgerSeq, String leafHash) {

    /** The cost in a broker answer's {@code ledger: {seq, amount, leaf_hash}}; null when nothing was charged. */
    public static JobCost fromBrokerLedger(JsonNode ledger) {
        if (ledger == null || !ledger.isObject() || !ledger.path("seq").canConvertToLong()
                || !ledger.path("amount").isTextual() || !ledger.path("leaf_hash").isTextual()) {
            return null;
        }
        try {
            new BigDecimal(ledger.get("amount").asText());
        } catch (NumberFormatException e) {
            return null;
        }
        return new JobCost(ledger.get("amount").asText(), ledger.get("seq").asLong(), ledger.get("leaf_hash").asText());
    }

    public BigDecimal decimal() {
        return new BigDecimal(amount);
    }

    /** {@code {amount, ledger_seq, leaf_hash}}, as {@code GET /api/jobs/{id}} shows it. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("amount", amount);
        json.put("ledger_seq", ledgerSeq);
        json.put("leaf_hash", leafHash);
        return json;
    }
}
