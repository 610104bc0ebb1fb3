package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Records what happens to jobs: admits a new job, or decides what a known job_id gets, and records
 * each outcome. Every write goes through {@link GroupCommit}, so it returns once committed and shares
 * its commit with the writes that arrive with it; the primary key on {@code job_id} makes "already
 * known" an atomic decision even when the same job arrives twice at once. Each committed write moves
 * the {@link StatusCounts} (an update reads the status it replaces in the same statement).
 */
public final class JobRecorder {
    /** What {@link #admit} decided. */
    public enum Admission {
        /** never seen: recorded (pending, or dispatching when it goes to the broker), dispatch it */
        NEW,
        /** known but failed (or a replayed queued job): dispatch it again as a new attempt */
        RETRY,
        /** known: dispatch nothing, answer the job as it stands */
        KNOWN
    }

    /**
     * The decision, the job's dispatch attempt counting this one (1 for a new job), and the
     * attempt_id to reuse when an interrupted dispatch is resumed.
     */
    public record Admitted(Admission admission, int attempts, String resumeAttemptId) {
    }

    /**
     * How an admitted job leaves when the mode sends it to the broker: it is recorded {@code dispatching}
     * with these ids in the same write that admits it, so no second commit stands between a job and the
     * broker (docs/benchmarks.md, "Why the code is as it is"). {@code attemptId} is taken unless the job resumes an
     * interrupted dispatch, which keeps its own.
     */
    public record BrokerAttempt(String reqId, String attemptId) {
    }

    /**
     * What a write did to a job's status: {@code from} (null for a new job) to the write's status when
     * {@code changed}, and the write's own answer.
     */
    private record Transition<T>(JobStatus from, boolean changed, T value) {
    }

    private static final String DUPLICATE_KEY = "23505";
    private static final String OFFGRID = "offgrid";
    private static final String INSERT = "INSERT INTO jobs (job_id, kind, status, method, attempts, source, req_id,"
            + " attempt_id, created_ms, updated_ms, job, mission_id) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)";
    private static final String KNOWN = "SELECT status, reason, attempt_id, attempts FROM jobs WHERE job_id = ?";
    private static final String RETRY = "UPDATE jobs SET status = ?, method = ?, reason = NULL, req_id = ?,"
            + " attempt_id = ?, attempts = attempts + 1, updated_ms = ?, job = ?, source = ?, backup_pending = TRUE WHERE job_id = ? AND status = ?";
    private static final String FINISH_CHARGED = "UPDATE jobs SET status = ?, method = ?, reason = ?, result = ?,"
            + " updated_ms = ?, cost_amount = ?, ledger_seq = ?, leaf_hash = ?, backup_pending = TRUE WHERE job_id = ?";
    private static final String FINISH = "UPDATE jobs SET status = ?, method = ?, reason = ?, result = ?, updated_ms = ?,"
            + " backup_pending = TRUE WHERE job_id = ?";
    private static final String QUEUED = "UPDATE jobs SET status = '" + JobStatus.QUEUED.value()
            + "', method = 'file_queue', reason = ?, job_file = ?, updated_ms = ?, backup_pending = TRUE WHERE job_id = ?";

    private final JobWrites commits;
    private final JobCounts counts;
    private final Clock clock;
    private final boolean sharedStore;

    /** The recorder of the one core of an embedded file store, which counts the jobs per status itself. */
    JobRecorder(JobWrites commits, StatusCounts counts, Clock clock) {
        this(commits, counts, clock, false);
    }

    /**
     * {@code sharedStore}: several cores write the database (PostgreSQL), so the counts are the
     * database's and an update need not tell which status it replaced.
     */
    JobRecorder(JobWrites commits, JobCounts counts, Clock clock, boolean sharedStore) {
        this.commits = commits;
        this.counts = counts;
        this.clock = clock;
        this.sharedStore = sharedStore;
    }

    /**
     * Records a new job, or decides what a known job_id gets (SPEC section 2: idempotency key). A job
     * to dispatch is recorded {@code pending} for the file queue, or {@code dispatching} with the
     * broker attempt when there is one.
     */
    public Admitted admit(IncomingJob job, String source, BrokerAttempt broker) {
        long now = clock.millis();
        JobStatus status = broker == null ? JobStatus.PENDING : JobStatus.DISPATCHING;
        try {
            Transition<Admitted> admitted = commits.write(c -> admit(c, job, source, broker, status, now));
            count(admitted, status);
            return admitted.value();
        } catch (SQLException e) {
            throw JobDatabase.failure("record job " + job.jobId(), e);
        }
    }

    private Transition<Admitted> admit(Connection c, IncomingJob job, String source, BrokerAttempt broker,
                                       JobStatus newStatus, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, job.jobId());
            insert.setString(2, job.kind());
            insert.setString(3, newStatus.value());
            insert.setString(4, broker == null ? null : OFFGRID);
            insert.setString(5, source);
            insert.setString(6, broker == null ? null : broker.reqId());
            insert.setString(7, broker == null ? null : broker.attemptId());
            insert.setLong(8, now);
            insert.setLong(9, now);
            insert.setString(10, JobTable.text(job.document()));
            insert.setString(11, missionId(job));
            insert.executeUpdate();
            return new Transition<>(null, true, new Admitted(Admission.NEW, 1, null));
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
        JobStatus status;
        String reason;
        String attemptId;
        int attempts;
        try (PreparedStatement known = c.prepareStatement(KNOWN)) {
            known.setString(1, job.jobId());
            try (ResultSet row = known.executeQuery()) {
                if (!row.next()) {
                    return unchanged(new Admitted(Admission.KNOWN, 0, null));
                }
                status = JobStatus.parse(row.getString(1));
                reason = row.getString(2);
                attemptId = row.getString(3);
                attempts = row.getInt(4);
            }
        }
        boolean again = status == JobStatus.FAILED || job.replay() && status == JobStatus.QUEUED;
        if (!again) {
            return unchanged(new Admitted(Admission.KNOWN, 0, null));
        }
        String resumed = InterruptedJob.REASON.equals(reason) ? attemptId : null;
        // conditional on the status just read: of two submissions racing, one dispatches. The ids are
        // this attempt's (none yet for the file queue): an earlier attempt's are never resumed by mistake
        try (PreparedStatement retry = c.prepareStatement(RETRY)) {
            retry.setString(1, newStatus.value());
            retry.setString(2, broker == null ? null : OFFGRID);
            retry.setString(3, broker == null ? null : broker.reqId());
            retry.setString(4, broker == null ? null : resumed != null ? resumed : broker.attemptId());
            retry.setLong(5, now);
            retry.setString(6, JobTable.text(job.document()));
            retry.setString(7, source);
            retry.setString(8, job.jobId());
            retry.setString(9, status.value());
            if (retry.executeUpdate() != 1) {
                return unchanged(new Admitted(Admission.KNOWN, 0, null));
            }
        }
        return new Transition<>(status, true, new Admitted(Admission.RETRY, attempts + 1, resumed));
    }

    /** The job's outcome: {@code status} by {@code method}, with the reason (cut to its column) and result. */
    private static String missionId(IncomingJob job) {
        var mission = job.document().get("mission_id");
        return mission != null && mission.isValueNode() && !mission.isNull() ? mission.asText() : null;
    }

    public void finish(String jobId, JobStatus status, String method, String reason, JsonNode result) {
        update(status, FINISH, status.value(), method, JobTable.reason(reason), JobTable.text(result), clock.millis(),
                jobId);
    }

    /** The job's queue file {@code jobFile} is written: it is {@code queued} with the file queue's reason. */
    /** As {@link #finish}, with the ledger entry the run was charged under (null: not charged). */
    public void finish(String jobId, JobStatus status, String method, String reason, JsonNode result, JobCost cost) {
        update(status, FINISH_CHARGED, status.value(), method, JobTable.reason(reason), JobTable.text(result),
                clock.millis(), cost == null ? null : cost.decimal(), cost == null ? null : cost.ledgerSeq(),
                cost == null ? null : cost.leafHash(), jobId);
    }

    public void queued(String jobId, String reason, String jobFile) {
        update(JobStatus.QUEUED, QUEUED, JobTable.reason(reason), jobFile, clock.millis(), jobId);
    }

    /** One job's row updated to {@code status}; the status it had comes back from the same statement. */
    private void update(JobStatus status, String sql, Object... values) {
        try {
            Transition<Void> done = commits.write(c -> {
                if (sharedStore) {
                    return updated(c, sql, values);
                }
                try (PreparedStatement statement = c.prepareStatement("SELECT status FROM OLD TABLE (" + sql + ")")) {
                    for (int i = 0; i < values.length; i++) {
                        statement.setObject(i + 1, values[i]);
                    }
                    try (ResultSet old = statement.executeQuery()) {
                        return old.next() ? new Transition<Void>(JobStatus.parse(old.getString(1)), true, null)
                                : unchanged(null);
                    }
                }
            });
            count(done, status);
        } catch (SQLException e) {
            throw JobDatabase.failure("update job " + values[values.length - 1], e);
        }
    }

    /** A plain update, for a shared store whose counts are the database's (PostgreSQL has no {@code OLD TABLE}). */
    private static Transition<Void> updated(Connection c, String sql, Object[] values) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate() == 1 ? new Transition<>(null, true, null) : unchanged(null);
        }
    }

    private static <T> Transition<T> unchanged(T value) {
        return new Transition<>(null, false, value);
    }

    /** Applied once the write is committed, so a failed commit never moves a count. */
    private void count(Transition<?> transition, JobStatus to) {
        if (transition.changed()) {
            counts.moved(transition.from(), to);
        }
    }
}
