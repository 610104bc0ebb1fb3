package com.sheratan.offgrid.security;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a signed request on its raw bytes before anything parses it (SPEC section 6): headers
 * present, key known, timestamp within ±300 s, signature equal in constant time (any of several
 * {@code v1=} values), meant for this receiver (the signed {@code X-Offgrid-Audience} is its own),
 * nonce not seen before. The nonce is remembered only once the signature is good and the request is
 * for this receiver, so forged requests cannot burn nonces of real ones.
 */
public final class RequestVerifier {
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    public static final long MAX_SKEW_SECONDS = 300;

    private final AuthKeys keys;
    private final String audience;
    private final ReplayGuard replayGuard;
    private final Clock clock;

    /** {@code audience}: this receiver's name, its node id or {@link SignedHeaders#BROKER_AUDIENCE}. */
    public RequestVerifier(AuthKeys keys, String audience, ReplayGuard replayGuard, Clock clock) {
        this.keys = keys;
        this.audience = audience;
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    public String audience() {
        return audience;
    }

    /** Empty when the request is genuine; otherwise why it is refused. */
    public Optional<SignatureError> verify(String method, String pathWithQuery, Function<String, String> header,
                                           byte[] body) {
        return verifyHashed(method, pathWithQuery, header, Digests.sha256Hex(body == null ? new byte[0] : body));
    }

    /** As {@link #verify}, for a body whose SHA-256 (lowercase hex) the caller has already computed. */
    public Optional<SignatureError> verifyHashed(String method, String pathWithQuery, Function<String, String> header,
                                                 String bodySha256Hex) {
        String keyId = header.apply(SignedHeaders.KEY_ID);
        String timestamp = header.apply(SignedHeaders.TIMESTAMP);
        String nonce = header.apply(SignedHeaders.NONCE);
        String signature = header.apply(SignedHeaders.SIGNATURE);
        String meantFor = header.apply(SignedHeaders.AUDIENCE);
        if (isBlank(keyId) || isBlank(timestamp) || isBlank(nonce) || isBlank(signature) || isBlank(meantFor)) {
            return Optional.of(SignatureError.MISSING_SIGNATURE);
        }
        String secret = keys.secret(keyId.strip());
        if (secret == null) {
            return Optional.of(SignatureError.UNKNOWN_KEY);
        }
        long now = clock.instant().getEpochSecond();
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Optional.of(SignatureError.STALE_TIMESTAMP);
        }
        if (Math.abs(now - ts) > MAX_SKEW_SECONDS) {
            return Optional.of(SignatureError.STALE_TIMESTAMP);
        }
        if (!NONCE.matcher(nonce).matches()) {
            return Optional.of(SignatureError.BAD_SIGNATURE);
        }
        String expected = "v1=" + Digests.hmacSha256Hex(secret,
                SignedHeaders.stringToSignForHash(method, pathWithQuery, ts, nonce, meantFor, bodySha256Hex));
        if (!anyMatches(signature, expected)) {
            return Optional.of(SignatureError.BAD_SIGNATURE);
        }
        // checked once the signature matched: wrong_audience is said only of genuine requests, and a
        // request captured on its way to one receiver is refused by every other
        if (!audience.equals(meantFor)) {
            return Optional.of(SignatureError.WRONG_AUDIENCE);
        }
        if (!replayGuard.firstUse(keyId.strip(), nonce, now)) {
            return Optional.of(SignatureError.REPLAYED_NONCE);
        }
        return Optional.empty();
    }

    private static boolean anyMatches(String header, String expected) {
        boolean match = false;
        for (String candidate : header.strip().split("\\s+")) {
            // no early exit: every candidate is compared, so timing says nothing about which matched
            match |= Digests.constantTimeEquals(candidate, expected);
        }
        return match;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
