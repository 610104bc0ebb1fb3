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
