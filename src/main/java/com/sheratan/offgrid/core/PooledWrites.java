package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The writes of a job store several cores share (PostgreSQL): each on a connection of the pool, each
 * statement committed as it runs. That is enough for {@link JobRecorder}, whose statements each decide
 * atomically (a unique job_id, an update conditional on the status it read), and it holds no row lock
 * past one statement, so two cores writing the same job_ids at once never wait on each other's
 * transactions, let alone deadlock. The database's own group commit shares the flushes of concurrent commits.
 */
final class PooledWrites implements JobWrites {
    private final JobConnections database;

    PooledWrites(JobConnections database) {
        this.database = database;
    }

    @Override
    public <T> T write(Write<T> write) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(true);
            return write.apply(c);
        }
    }
}
