package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the job store's writes reach its database: {@link GroupCommit} for the embedded file store (one
 * writer thread, writes that arrive together share a commit), {@link PooledWrites} for PostgreSQL (each
 * write on a connection of the pool, committed by itself, so several cores write side by side).
 * Either way {@link #write} returns once the write is committed.
 */
interface JobWrites {
    /** One write; its statements each decide atomically on their own (a condition on the row's status). */
    @FunctionalInterface
    interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    <T> T write(Write<T> write) throws SQLException;
}
