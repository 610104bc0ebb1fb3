package com.sheratan.offgrid.storage;

/** Header names of mesh storage's HTTP calls (SPEC 13). */
public final class StorageHeaders {
    /** Lowercase hex SHA-256 of a shard's bytes, sent with a PUT and with every GET answer. */
    public static final String CONTENT_SHA256 = "X-Offgrid-Content-Sha256";

    /**
     * The form content type ({@code application/x-www-form-urlencoded}, {@code multipart/form-data})
     * a storage body was sent with, handed on beside it while the server reads the body as bytes.
     */
    public static final String SENT_CONTENT_TYPE = "X-Offgrid-Content-Type";

    private StorageHeaders() {
    }
}
