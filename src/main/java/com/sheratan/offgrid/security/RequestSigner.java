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

    public SignedHeaders sign(String method, String pathWithQuery, byte[] body) {
        return sign(method, pathWithQuery, body, clock.instant().getEpochSecond(), UUID.randomUUID().toString());
    }

    /** The deterministic form, for the documented test vector. */
    public SignedHeaders sign(String method, String pathWithQuery, byte[] body, long timestamp, String nonce) {
        String toSign = SignedHeaders.stringToSign(method, pathWithQuery, timestamp, nonce, body);
        String signature = "v1=" + Digests.hmacSha256Hex(keys.signingSecret(), toSign);
        return new SignedHeaders(keys.signingKeyId(), timestamp, nonce, signature);
    }

    public String keyId() {
        return keys.signingKeyId();
    }
}
