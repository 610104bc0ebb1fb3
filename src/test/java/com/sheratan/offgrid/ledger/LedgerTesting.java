package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import com.sheratan.offgrid.security.ReceiptSigner;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** Signed receipts and charges for ledger tests. */
final class LedgerTesting {
    private final ReceiptSigner signer;

    LedgerTesting() {
        try {
            signer = new ReceiptSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode receipt(String nodeId, String jobId, String attemptId, String kind, double quote) {
        Receipt unsigned = new Receipt(Receipt.VERSION, nodeId, jobId, attemptId, kind, 0.1, quote, 1L, 2L,
                "00".repeat(32), "nonce-" + jobId, null, null, null);
        return Json.mapper().valueToTree(signer.sign(unsigned));
    }

    CostLedger.ChargeRequest charge(int n, String missionId) {
        String job = "job-" + n;
        String attempt = "att-" + n;
        double quote = 0.000123 * (n + 1);
        return new CostLedger.ChargeRequest(job, attempt, missionId, null, "echo", "host-a", quote,
                receipt("host-a", job, attempt, "echo", quote));
    }
}
