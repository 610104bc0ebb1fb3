package com.sheratan.offgrid.host;

/** The {@code error_code}s of a failed {@code POST /run} (SPEC section 8) and the HTTP status each gets. */
public enum RunErrorCode {
    UNSUPPORTED_KIND(422),
    UNAUTHORIZED(403),
    DEADLINE_EXCEEDED(403),
    INVALID_ARGS(400),
    IN_PROGRESS(409),
    FAILED(500);

    private final int httpStatus;

    RunErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Codes that are the attempt's own outcome and are remembered for it; the others leave it open. */
    public boolean endsAttempt() {
        return this == INVALID_ARGS || this == FAILED;
    }
}
