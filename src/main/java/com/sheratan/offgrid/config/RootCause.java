package com.sheratan.offgrid.config;

/** What went wrong at the bottom of a chain of causes, for messages a user reads. */
public final class RootCause {
    private RootCause() {
    }

    /** The innermost cause's message (what the server, driver or file system said), or its type when it has none. */
    public static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
