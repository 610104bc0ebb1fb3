package com.sheratan.offgrid.core;

/**
 * The broker could not take a job. {@code reason} is the code the user sees (file-queue document,
 * job status, HTTP answer); {@code retryable} marks a 503, which is tried again with the same attempt_id.
 */
public class DispatchFailure extends Exception {
    private final String reason;
    private final boolean retryable;

    public DispatchFailure(String reason, String detail, boolean retryable) {
        super(reason + ": " + detail);
        this.reason = reason;
        this.retryable = retryable;
    }

    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }
}
