package com.sheratan.offgrid.security;

/** Why a signed request was refused; {@link #code()} is the {@code error} of the 401 answer. */
public enum SignatureError {
    MISSING_SIGNATURE("missing_signature"),
    UNKNOWN_KEY("unknown_key"),
    STALE_TIMESTAMP("stale_timestamp"),
    BAD_SIGNATURE("bad_signature"),
    /** A genuine request meant for another receiver (its {@code X-Offgrid-Audience} is not this one). */
    WRONG_AUDIENCE("wrong_audience"),
    REPLAYED_NONCE("replayed_nonce");

    private final String code;

    SignatureError(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
