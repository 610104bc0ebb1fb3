package com.sheratan.offgrid.security;

/** The JobSpec v1 claim token: lowercase hex HMAC-SHA256(key, "{job_id}:{attempt_id}:{deadline_ts}"). */
public final class ClaimToken {
    private ClaimToken() {
    }

    public static String compute(String secret, String jobId, String attemptId, long deadlineTs) {
        return Digests.hmacSha256Hex(secret, jobId + ":" + attemptId + ":" + deadlineTs);
    }

    /** True when the token was made by any of the keys. */
    public static boolean verify(AuthKeys keys, String jobId, String attemptId, long deadlineTs, String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        boolean match = false;
        for (String secret : keys.secrets().values()) {
            match |= Digests.constantTimeEquals(compute(secret, jobId, attemptId, deadlineTs), token.strip());
        }
        return match;
    }
}
