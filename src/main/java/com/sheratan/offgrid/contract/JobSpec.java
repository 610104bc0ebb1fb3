package com.sheratan.offgrid.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JobSpec v1 (SPEC section 3): what a host executes. {@code claimToken} = hex HMAC-SHA256(key,
 * "{job_id}:{attempt_id}:{deadline_ts}") proves the job came through the mesh; {@code attemptId}
 * is made once per dispatch and reused by its retries, so a host runs each attempt once.
 */
public record JobSpec(int contractVersion, String jobId, String reqUid, String attemptId, String kind,
                      JsonNode args, long deadlineTs, String claimToken) {
    public static final int CONTRACT_VERSION = 1;
}
