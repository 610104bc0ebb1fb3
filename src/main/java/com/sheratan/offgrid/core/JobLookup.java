package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the job store: one job by its id, the jobs newest first a page at a time, the jobs per status. */
public final class JobLookup {
    private static final String ONE = "SELECT " + JobTable.COLUMNS + " FROM jobs WHERE job_id = ?";
    private static final String PAGE = "SELECT " + JobTable.COLUMNS + " FROM jobs ORDER BY seq DESC LIMIT ? OFFSET ?";

    private final JobConnections database;
    private final JobCounts counts;

    JobLookup(JobConnections database, JobCounts counts) {
        this.database = database;
        this.counts = counts;
    }

    /** One charged job of a mission. */
    public record ChargedJob(String jobId, JobCost cost) {
    }

    /** The charged jobs of a mission (null: the jobs without one), oldest charge first. */
    public List<ChargedJob> chargedJobs(String missionId) {
        String where = missionId == null ? "mission_id IS NULL" : "mission_id = ?";
        try (Connection c = database.connection();
             PreparedStatement query = c.prepareStatement("SELECT job_id, cost_amount, ledger_seq, leaf_hash FROM jobs"
                     + " WHERE " + where + " AND cost_amount IS NOT NULL ORDER BY ledger_seq")) {
            if (missionId != null) {
                query.setString(1, missionId);
            }
            List<ChargedJob> out = new java.util.ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(new ChargedJob(rows.getString(1), new JobCost(rows.getBigDecimal(2).setScale(9).toPlainString(),
                            rows.getLong(3), rows.getString(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw JobDatabase.failure("read the cost of mission " + missionId, e);
        }
    }

    public Optional<JobRecord> find(String jobId) {
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement(ONE)) {
            query.setString(1, jobId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(JobTable.record(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JobDatabase.failure("read job " + jobId, e);
        }
    }

    /** Newest first (the order they were first recorded in). */
    public List<JobRecord> page(int limit, long offset) {
        return page(JobFilter.ALL, limit, offset);
    }

    /** Newest first, only the jobs the filter lets through. */
    public List<JobRecord> page(JobFilter filter, int limit, long offset) {
        List<String> conditions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Map<String, Optional<String>> wanted = new LinkedHashMap<>();
        wanted.put("status", filter.status());
        wanted.put("method", filter.method());
        wanted.put("mission_id", filter.missionId());
        wanted.forEach((column, value) -> value.ifPresent(v -> {
            conditions.add(column + " = ?");
            values.add(v);
        }));
        String sql = conditions.isEmpty() ? PAGE : "SELECT " + JobTable.COLUMNS + " FROM jobs WHERE "
                + String.join(" AND ", conditions) + " ORDER BY seq DESC LIMIT ? OFFSET ?";
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            int i = 1;
            for (String value : values) {
                query.setString(i++, value);
            }
            query.setInt(i++, limit);
            query.setLong(i, offset);
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(JobTable.record(rows));
                }
            }
            return out;
        } catch (SQLException e) {
            throw JobDatabase.failure("list jobs", e);
        }
    }

    /** The job document as it was last admitted (what a retry dispatches again), or empty for an unknown id. */
    public Optional<String> document(String jobId) {
        try (Connection c = database.connection();
             PreparedStatement query = c.prepareStatement("SELECT job FROM jobs WHERE job_id = ?")) {
            query.setString(1, jobId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JobDatabase.failure("read job " + jobId, e);
        }
    }

    /** Jobs per status, every status present (zero when none); see {@link JobCounts}. */
    public Map<JobStatus, Long> countsByStatus() {
        return counts.snapshot();
    }
}
