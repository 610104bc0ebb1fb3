package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A job the previous run of the core left without an outcome (killed mid-dispatch), and the dispatch attempt it was on. */
public record InterruptedJob(String jobId, int attempts) {
    /** The reason such a job is recorded {@code failed} with; {@link JobRecorder} resumes its attempt. */
    public static final String REASON = "interrupted: the core stopped before this dispatch had an outcome";

    private static final String WITHOUT_OUTCOME = " WHERE status IN ('" + JobStatus.PENDING.value() + "', '"
            + JobStatus.DISPATCHING.value() + "')";

    /**
     * Jobs still pending or dispatching when the store opens were cut off by a crash of the previous
     * run: they become failed with {@link #REASON} (never missing), and resume with their attempt_id when
     * submitted again (the inbox does that by itself, its file is still there), so a host that already
     * ran the attempt answers with its first result instead of running it twice.
     *
     * @return those jobs, as they were before they were marked
     */
    static List<InterruptedJob> markFailed(Connection c, long nowMillis) throws SQLException {
        List<InterruptedJob> cut = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT job_id, attempts FROM jobs" + WITHOUT_OUTCOME);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                cut.add(new InterruptedJob(rows.getString(1), rows.getInt(2)));
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET status = '" + JobStatus.FAILED.value()
                + "', reason = ?, updated_ms = ?, backup_pending = TRUE" + WITHOUT_OUTCOME)) {
            update.setString(1, REASON);
            update.setLong(2, nowMillis);
            update.executeUpdate();
        }
        return List.copyOf(cut);
    }
}
