package com.sheratan.offgrid.storage;

/** Header names of the shard API (SPEC 13). */
public final class StorageHeaders {
    /** Lowercase hex SHA-256 of a shard's bytes, sent with a PUT and with every GET answer. */
    public static final String CONTENT_SHA256 = "X-Offgrid-Content-Sha256";

    private StorageHeaders() {
    }
}
