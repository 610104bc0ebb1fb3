package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.security.AuthKeysConfiguration;
import com.sheratan.offgrid.security.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens of the core's API ({@code OFFGRID_API_TOKENS}, a comma-separated list). Off loopback
 * they are required: anyone who reaches the core could otherwise submit jobs the core signs for the
 * mesh and read every job's result. On loopback they are optional, and required once any is set.
 * Tokens are compared as SHA-256 digests in constant time, every token each time, so the answer's
 * timing says nothing about a token.
 */
public final class ApiTokens {
    public static final String SETTING = "offgrid.api-tokens";
    public static final String MISSING = "missing_token";
    public static final String BAD = "bad_token";

    private final List<byte[]> digests;

    private ApiTokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /** The tokens of {@code list} (blank entries ignored); a core off loopback without any refuses to start. */
    public static ApiTokens forBinding(String list, String bindHost, String roleName) {
        List<byte[]> digests = new ArrayList<>();
        for (String token : (list == null ? "" : list).split(",")) {
            if (!token.isBlank()) {
                digests.add(sha256(token.strip()));
            }
        }
        if (digests.isEmpty() && !AuthKeysConfiguration.isLoopback(bindHost)) {
            throw new RoleStartException(roleName + " refuses to bind " + bindHost + " without API tokens: anyone who"
                    + " reaches it could submit jobs and read every result. Set OFFGRID_API_TOKENS to one or more"
                    + " tokens, comma-separated (make one with `openssl rand -hex 32`); clients then send"
                    + " `Authorization: Bearer <token>` with every /api call");
        }
        return new ApiTokens(digests);
    }

    public boolean required() {
        return !digests.isEmpty();
    }

    public int count() {
        return digests.size();
    }

    /** Empty when the {@code Authorization} header carries a known bearer token; else the error code. */
    public Optional<String> check(String authorization) {
        if (!required()) {
            return Optional.empty();
        }
        String token = bearer(authorization);
        if (token == null) {
            return Optional.of(MISSING);
        }
        byte[] presented = sha256(token);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, presented);
        }
        return match ? Optional.empty() : Optional.of(BAD);
    }

    /** The token of {@code Bearer <token>} (scheme case-insensitive, RFC 6750), or null when there is none. */
    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String token) {
        return Digests.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
