package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The jobs per status of a store several cores write: no core sees every write, so each snapshot is
 * counted by the database (one grouped count over the status index).
 */
final class SharedStatusCounts implements JobCounts {
    private final JobConnections database;

    SharedStatusCounts(JobConnections database) {
        this.database = database;
    }

    /** Nothing to keep: the next snapshot counts again. */
    @Override
    public void moved(JobStatus from, JobStatus to) {
    }

    @Override
    public Map<JobStatus, Long> snapshot() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, 0L);
        }
        try (Connection c = database.connection();
             PreparedStatement query = c.prepareStatement("SELECT status, COUNT(*) FROM jobs GROUP BY status");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(JobStatus.parse(rows.getString(1)), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw JobDatabase.failure("count the jobs per status", e);
        }
        return Collections.unmodifiableMap(counts);
    }
}
