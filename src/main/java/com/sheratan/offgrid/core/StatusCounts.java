package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The jobs per status, counted once when the store opens and then moved by every committed write
 * ({@link JobRecorder}), so {@code /api/status} costs the same with ten jobs or ten million.
 */
final class StatusCounts implements JobCounts {
    /** one counter per status, all made here: the map itself never changes, so it needs no lock */
    private final Map<JobStatus, LongAdder> counts = new EnumMap<>(JobStatus.class);

    private StatusCounts() {
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, new LongAdder());
        }
    }

    /** The one time the jobs are counted by a query: at open, after the interrupted ones were marked. */
    static StatusCounts countedIn(Connection c) throws SQLException {
        StatusCounts counted = new StatusCounts();
        try (PreparedStatement query = c.prepareStatement("SELECT status, COUNT(*) FROM jobs GROUP BY status");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counted.counts.get(JobStatus.parse(rows.getString(1))).add(rows.getLong(2));
            }
        }
        return counted;
    }

    /** A job moved from {@code from} ({@code null} for a new job) to {@code to}. */
    @Override
    public void moved(JobStatus from, JobStatus to) {
        if (from != null) {
            counts.get(from).decrement();
        }
        counts.get(to).increment();
    }

    /** Jobs per status, every status present (zero when none), in the order of {@link JobStatus}. */
    @Override
    public Map<JobStatus, Long> snapshot() {
        Map<JobStatus, Long> snapshot = new EnumMap<>(JobStatus.class);
        counts.forEach((status, count) -> snapshot.put(status, count.sum()));
        return Collections.unmodifiableMap(snapshot);
    }
}
