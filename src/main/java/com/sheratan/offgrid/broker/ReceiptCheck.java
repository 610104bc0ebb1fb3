package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.security.VerifyKeys;

/**
 * Whether a host's receipt may be charged (SPEC section 12): its signature verifies with its
 * {@code verify_key}, that key is the one trusted for the node ({@link HostKeyPins}), its
 * {@code node_id}, {@code job_id}, {@code attempt_id} and {@code kind} are those of the dispatch,
 * and its {@code quote} is the winning bid. A receipt that fails is the host's failure.
 */
public final class ReceiptCheck {
    private final HostKeyPins pins;
    private final MeshHosts hosts;
    private final VerifyKeys keys = new VerifyKeys();

    public ReceiptCheck(HostKeyPins pins, MeshHosts hosts) {
        this.pins = pins;
        this.hosts = hosts;
    }

    /** Null when the receipt is valid for this dispatch, else the reason it is not. */
    public String problem(AuctionRequest request, Bid bid, JsonNode receipt) {
        if (receipt == null || !receipt.isObject()) {
            return "the receipt is not an object";
        }
        if (!ReceiptVerifier.verify(receipt, keys)) {
            return "its signature does not verify with its verify_key";
        }
        String mismatch = field(receipt, "node_id", bid.nodeId());
        mismatch = mismatch != null ? mismatch : field(receipt, "job_id", request.jobId());
        mismatch = mismatch != null ? mismatch : field(receipt, "attempt_id", request.attemptId());
        mismatch = mismatch != null ? mismatch : field(receipt, "kind", request.kind());
        if (mismatch != null) {
            return mismatch;
        }
        JsonNode quote = receipt.get("quote");
        if (quote == null || !quote.isNumber() || quote.doubleValue() != bid.quote()) {
            return "its quote " + quote + " is not the winning bid " + bid.quote();
        }
        HostEntry host = hosts.discovery().hosts().stream().filter(h -> h.url().equals(bid.host())).findFirst()
                .orElse(null);
        return pins.problem(host, bid.nodeId(), receipt.get("verify_key").asText());
    }

    private static String field(JsonNode receipt, String name, String expected) {
        JsonNode value = receipt.get(name);
        if (value == null || !value.isTextual() || !value.asText().equals(expected)) {
            return "its " + name + " " + value + " is not the dispatch's '" + expected + "'";
        }
        return null;
    }
}
