package com.sheratan.offgrid.core;

/**
 * The job store's database cannot be reached (a PostgreSQL server down or out of connections): nothing
 * was recorded, so nothing is dispatched and the caller is answered {@code 503} to try again later
 * ({@link CoreFault}). Every write the core acknowledged before is committed and stays.
 */
public final class JobStoreUnavailableException extends IllegalStateException {
    JobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
