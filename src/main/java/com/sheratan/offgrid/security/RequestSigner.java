package com.sheratan.offgrid.security;

import java.time.Clock;
import java.util.UUID;

/** Signs an outgoing request with the sender's key (SPEC section 6). */
public final class RequestSigner {
    private final AuthKeys keys;
    private final Clock clock;

    public RequestSigner(AuthKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public RequestSigner(AuthKeys keys) {
        this(keys, Clock.systemUTC());
    }

    /** Signs for one receiver: {@code audience} is its node id, or {@link SignedHeaders#BROKER_AUDIENCE}. */
    public SignedHeaders sign(String method, String pathWithQuery, String audience, byte[] body) {
        return sign(method, pathWithQuery, audience, body, clock.instant().getEpochSecond(),
                UUID.randomUUID().toString());
    }

    /** As {@link #sign}, for a body whose SHA-256 (lowercase hex) the caller has already computed. */
    public SignedHeaders signHashed(String method, String pathWithQuery, String audience, String bodySha256Hex) {
        long timestamp = clock.instant().getEpochSecond();
        String nonce = UUID.randomUUID().toString();
        String toSign = SignedHeaders.stringToSignForHash(method, pathWithQuery, timestamp, nonce, audience, bodySha256Hex);
        return new SignedHeaders(keys.signingKeyId(), timestamp, nonce, audience,
                "v1=" + Digests.hmacSha256Hex(keys.signingSecret(), toSign));
    }

    /** The deterministic form, for the documented test vectors. */
    public SignedHeaders sign(String method, String pathWithQuery, String audience, byte[] body, long timestamp,
                              String nonce) {
        String toSign = SignedHeaders.stringToSign(method, pathWithQuery, timestamp, nonce, audience, body);
        String signature = "v1=" + Digests.hmacSha256Hex(keys.signingSecret(), toSign);
        return new SignedHeaders(keys.signingKeyId(), timestamp, nonce, audience, signature);
    }

    public String keyId() {
        return keys.signingKeyId();
    }
}
