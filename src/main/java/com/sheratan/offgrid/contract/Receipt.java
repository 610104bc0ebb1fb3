package com.sheratan.offgrid.contract;

/**
 * A host's signed receipt for one executed attempt (SPEC section 8). {@code sig} is Base64 Ed25519
 * over the receipt without {@code sig}, in canonical JSON; {@code verifyKey} is Base64 of the
 * X.509-encoded public key. {@code units} is the job size in the unit of its price (see docs/host.md),
 * {@code quote} the price charged for it.
 */
public record Receipt(String version, String nodeId, String jobId, String attemptId, String kind, double units,
                      double quote, long startedMs, long finishedMs, String outputSha256, String nonce,
                      String sigAlgo, String verifyKey, String sig) {
    public static final String VERSION = "1";
    public static final String SIG_ALGO = "Ed25519";

    /** The same receipt carrying a signature (and the key and algorithm it was made with). */
    public Receipt signed(String algorithm, String key, String signature) {
        return new Receipt(version, nodeId, jobId, attemptId, kind, units, quote, startedMs, finishedMs,
                outputSha256, nonce, algorithm, key, signature);
    }
}
