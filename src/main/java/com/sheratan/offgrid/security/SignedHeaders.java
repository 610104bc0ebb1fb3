package com.sheratan.offgrid.security;

import java.util.Map;

/**
 * The five {@code X-Offgrid-*} headers of one signed request. The audience names the one receiver the
 * request is meant for (a host's node id, or {@value #BROKER_AUDIENCE}), so a captured request is
 * good at that receiver only.
 */
public record SignedHeaders(String keyId, long timestamp, String nonce, String audience, String signature) {
    public static final String KEY_ID = "X-Offgrid-Key-Id";
    public static final String AUDIENCE = "X-Offgrid-Audience";
    /** The audience of requests to the broker; a host's audience is its node id. */
    public static final String BROKER_AUDIENCE = "broker";
    public static final String TIMESTAMP = "X-Offgrid-Timestamp";
    public static final String NONCE = "X-Offgrid-Nonce";
    public static final String SIGNATURE = "X-Offgrid-Signature";
    /** The {@code WWW-Authenticate} value of a 401 for a signature refused (SPEC section 6). */
    public static final String CHALLENGE = "Offgrid-HMAC";

    /** {@code v1\nMETHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nsha256hex(body)\nAUDIENCE}. */
    public static String stringToSign(String method, String pathWithQuery, long timestamp, String nonce,
                                      String audience, byte[] body) {
        return stringToSignForHash(method, pathWithQuery, timestamp, nonce, audience, Digests.sha256Hex(body));
    }

    /** The same, for a body whose SHA-256 (lowercase hex) the caller already has: a shard's, say. */
    public static String stringToSignForHash(String method, String pathWithQuery, long timestamp, String nonce,
                                             String audience, String bodySha256Hex) {
        return "v1\n" + method.toUpperCase(java.util.Locale.ROOT) + "\n" + pathWithQuery + "\n" + timestamp + "\n"
                + nonce + "\n" + bodySha256Hex + "\n" + audience;
    }

    public Map<String, String> asMap() {
        return Map.of(KEY_ID, keyId, TIMESTAMP, Long.toString(timestamp), NONCE, nonce, AUDIENCE, audience,
                SIGNATURE, signature);
    }
}
