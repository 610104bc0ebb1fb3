package com.sheratan.offgrid.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Service;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The job store: an embedded H2 database in file mode under {@code offgrid.core.state-dir}, so job
 * status survives a restart of the core. The primary key on {@code job_id} makes "already known"
 * an atomic decision even when the same job arrives twice at once. Writes go through
 * {@link GroupCommit}: each returns once committed, and concurrent writes share a commit. The jobs
 * per status are counted once at open and then kept up to date by every committed write (each
 * update reads the status it replaces in the same statement), so {@code /api/status} costs the
 * same with ten jobs or ten million.
 */
public final class JobStore implements Service {
    /** What {@link #admit} decided. */
    public enum Admission {
        /** never seen: recorded (pending, or dispatching when it goes to the broker), dispatch it */
        NEW,
        /** known but failed (or a replayed queued job): dispatch it again as a new attempt */
        RETRY,
        /** known: dispatch nothing, answer the job as it stands */
        KNOWN
    }

    /** The reason of a job a previous run of the core left without an outcome (killed mid-dispatch). */
    static final String INTERRUPTED = "interrupted: the core stopped before this dispatch had an outcome";

    /**
     * The decision, the job's dispatch attempt counting this one (1 for a new job), and the
     * attempt_id to reuse when an interrupted dispatch is resumed.
     */
    public record Admitted(Admission admission, int attempts, String resumeAttemptId) {
    }

    /**
     * How an admitted job leaves when the mode sends it to the broker: it is recorded {@code dispatching}
     * with these ids in the same write that admits it, so no second commit stands between a job and the
     * broker (docs/benchmarks.md, "Seventh look"). {@code attemptId} is taken unless the job resumes an
     * interrupted dispatch, which keeps its own.
     */
    public record BrokerAttempt(String reqId, String attemptId) {
    }

    /** A job the previous run of the core left without an outcome, and the dispatch attempt it was on. */
    public record Interrupted(String jobId, int attempts) {
    }

    private static final String WITHOUT_OUTCOME = " WHERE status IN ('" + JobStatus.PENDING.value() + "', '"
            + JobStatus.DISPATCHING.value() + "')";
    private static final String COLUMNS = "job_id, kind, status, method, reason, attempts, source, req_id, attempt_id,"
            + " created_ms, updated_ms, result, job_file";
    private static final String DUPLICATE_KEY = "23505";
    private static final int REASON_LENGTH = 2000;
    private static final int INLINE_LOB_BYTES = 4096;
    private static final int CACHE_KIB = 2048;
    /** seq values the store takes at a time (H2's default is 32); see the constructor */
    static final int SEQ_BLOCK = 4096;
    /** the database's name in the state folder; H2 keeps it in {@code jobs.mv.db} */
    private static final String DATABASE = "jobs";

    private final JdbcConnectionPool pool;
    private final GroupCommit writes;
    /** one counter per status, all made here: the map itself never changes, so it needs no lock */
    private final Map<JobStatus, LongAdder> counts = new EnumMap<>(JobStatus.class);
    private final Clock clock;
    private final List<Interrupted> interrupted;

    /** The file that holds the jobs of a store in {@code stateDir}. */
    public static Path file(Path stateDir) {
        return stateDir.resolve(DATABASE + ".mv.db");
    }

    /** The JDBC URL of a store's database in {@code stateDir}, without H2 settings (tests open it directly). */
    static String databaseUrl(Path stateDir) {
        return "jdbc:h2:file:" + stateDir.resolve(DATABASE).toAbsolutePath();
    }

    public JobStore(Path stateDir, Clock clock) {
        this(stateDir, clock, "");
    }

    /** {@code h2Settings}: more H2 settings for the database URL, for tests (e.g. {@code ";RETENTION_TIME=0"}). */
    JobStore(Path stateDir, Clock clock, String h2Settings) {
        this.clock = clock;
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, new LongAdder());
        }
        try {
            Files.createDirectories(stateDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the core's state folder " + stateDir + ": " + e.getMessage(), e);
        }
        // WRITE_DELAY=0: a commit is in the file before the core answers or moves an inbox file aside;
        // H2's default keeps up to a second of commits in memory, which a killed core would lose.
        // MAX_LENGTH_INPLACE_LOB: a job document or result up to 4 KiB (an echo job's result is ~0.9 KiB)
        // is kept in its row; H2's default of 256 bytes put every result in its separate LOB storage,
        // which made the store's CPU per job ~40% higher (docs/benchmarks.md, "Fifth look").
        // CACHE_SIZE (KiB): H2 keeps the pages it writes in this cache. Its default of 16 MiB held each
        // page for a second or so under load, long enough to be promoted to the old generation and die
        // there: the mesh's full collections (~100 ms each, every ~5 s at 64 clients) that set the
        // p99. With 2 MiB there were a quarter as many, and the store alone costs less CPU per job
        // (docs/benchmarks.md, "Ninth look").
        this.pool = JdbcConnectionPool.create(databaseUrl(stateDir) + ";WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB="
                + INLINE_LOB_BYTES + ";CACHE_SIZE=" + CACHE_KIB + h2Settings, "sa", "");
        pool.setMaxConnections(32);
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS jobs ("
                    + " seq BIGINT AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(128) NOT NULL UNIQUE,"
                    + " kind VARCHAR(256), status VARCHAR(16) NOT NULL, method VARCHAR(16), reason VARCHAR(" + REASON_LENGTH + "),"
                    + " attempts INT NOT NULL, source VARCHAR(16), req_id VARCHAR(64), attempt_id VARCHAR(64),"
                    + " created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, job CLOB, result CLOB,"
                    + " job_file VARCHAR(1024))");
            c.createStatement().execute("CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status)");
            // Each time seq's sequence uses up its block of values, H2 records the next block in the file
            // in a commit of its own: with its default block of 32 that was one more commit every 32 jobs,
            // a tenth of the store's CPU under load (docs/benchmarks.md, "Eleventh look"). A crash skips
            // the unused rest of a block; seq only orders the jobs, and after a restart it still grows.
            // Set at every open, so stores made before this line get it too (one small write).
            c.createStatement().execute("ALTER TABLE jobs ALTER COLUMN seq SET CACHE " + SEQ_BLOCK);
            interrupted = markInterrupted(c);
            countAll(c);
            Connection writer = pool.getConnection();
            StoreCompaction compaction = StoreCompaction.of(writer);
            writes = new GroupCommit(writer, "core-job-store-writer",
                    compaction == null ? () -> { } : compaction::step);
        } catch (SQLException e) {
            pool.dispose();
            throw new IllegalStateException("cannot open the job store in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Jobs still pending or dispatching when the store opens were cut off by a crash of the previous
     * run: they become failed with a reason (never missing), and resume with their attempt_id when
     * submitted again (the inbox does that by itself, its file is still there), so a host that already
     * ran the attempt answers with its first result instead of running it twice.
     */
    private List<Interrupted> markInterrupted(Connection c) throws SQLException {
        List<Interrupted> cut = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "SELECT job_id, attempts FROM jobs" + WITHOUT_OUTCOME);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                cut.add(new Interrupted(rows.getString(1), rows.getInt(2)));
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET status = '" + JobStatus.FAILED.value()
                + "', reason = ?, updated_ms = ?" + WITHOUT_OUTCOME)) {
            update.setString(1, INTERRUPTED);
            update.setLong(2, clock.millis());
            update.executeUpdate();
        }
        return List.copyOf(cut);
    }

    /** How many jobs the previous run left without an outcome (marked failed, resumable). */
    public int interruptedAtStart() {
        return interrupted.size();
    }

    /** The jobs the previous run left without an outcome, as they were when this store opened. */
    public List<Interrupted> interruptedJobs() {
        return interrupted;
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
            Transition<Admitted> admitted = writes.write(c -> admit(c, job, source, broker, status, now));
            count(admitted, status);
            return admitted.value();
        } catch (SQLException e) {
            throw storeFailure("record job " + job.jobId(), e);
        }
    }

    private Transition<Admitted> admit(Connection c, IncomingJob job, String source, BrokerAttempt broker,
                                       JobStatus newStatus, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (job_id, kind, status, method, attempts,"
                + " source, req_id, attempt_id, created_ms, updated_ms, job) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, job.jobId());
            insert.setString(2, job.kind());
            insert.setString(3, newStatus.value());
            insert.setString(4, broker == null ? null : "offgrid");
            insert.setString(5, source);
            insert.setString(6, broker == null ? null : broker.reqId());
            insert.setString(7, broker == null ? null : broker.attemptId());
            insert.setLong(8, now);
            insert.setLong(9, now);
            insert.setString(10, job.document().toString());
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
        try (PreparedStatement known = c.prepareStatement(
                "SELECT status, reason, attempt_id, attempts FROM jobs WHERE job_id = ?")) {
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
        String resumed = INTERRUPTED.equals(reason) ? attemptId : null;
        // conditional on the status just read: of two submissions racing, one dispatches. The ids are
        // this attempt's (none yet for the file queue): an earlier attempt's are never resumed by mistake
        try (PreparedStatement retry = c.prepareStatement("UPDATE jobs SET status = ?, method = ?, reason = NULL,"
                + " req_id = ?, attempt_id = ?, attempts = attempts + 1, updated_ms = ?, job = ?, source = ?"
                + " WHERE job_id = ? AND status = ?")) {
            retry.setString(1, newStatus.value());
            retry.setString(2, broker == null ? null : "offgrid");
            retry.setString(3, broker == null ? null : broker.reqId());
            retry.setString(4, broker == null ? null : resumed != null ? resumed : broker.attemptId());
            retry.setLong(5, now);
            retry.setString(6, job.document().toString());
            retry.setString(7, source);
            retry.setString(8, job.jobId());
            retry.setString(9, status.value());
            if (retry.executeUpdate() != 1) {
                return unchanged(new Admitted(Admission.KNOWN, 0, null));
            }
        }
        return new Transition<>(status, true, new Admitted(Admission.RETRY, attempts + 1, resumed));
    }

    public void finish(String jobId, JobStatus status, String method, String reason, JsonNode result) {
        update(status, "UPDATE jobs SET status = ?, method = ?, reason = ?, result = ?, updated_ms = ? WHERE job_id = ?",
                status.value(), method, fitted(reason), result == null ? null : result.toString(), clock.millis(), jobId);
    }

    public void queued(String jobId, String reason, String jobFile) {
        update(JobStatus.QUEUED, "UPDATE jobs SET status = '" + JobStatus.QUEUED.value() + "', method = 'file_queue',"
                + " reason = ?, job_file = ?,"
                + " updated_ms = ? WHERE job_id = ?", fitted(reason), jobFile, clock.millis(), jobId);
    }

    public Optional<JobRecord> find(String jobId) {
        try (Connection c = pool.getConnection();
             PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE job_id = ?")) {
            query.setString(1, jobId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(record(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw storeFailure("read job " + jobId, e);
        }
    }

    /** Newest first. */
    public List<JobRecord> page(int limit, long offset) {
        try (Connection c = pool.getConnection();
             PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM jobs ORDER BY seq DESC LIMIT ? OFFSET ?")) {
            query.setInt(1, limit);
            query.setLong(2, offset);
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(record(rows));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storeFailure("list jobs", e);
        }
    }

    /** Jobs per status, every status present (zero when none), in the order of {@link JobStatus}; kept by the writes, no query. */
    public Map<JobStatus, Long> countsByStatus() {
        Map<JobStatus, Long> snapshot = new EnumMap<>(JobStatus.class);
        counts.forEach((status, count) -> snapshot.put(status, count.sum()));
        return Collections.unmodifiableMap(snapshot);
    }

    /** The one time the jobs are counted by a query: at open, after the interrupted ones were marked. */
    private void countAll(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT status, COUNT(*) FROM jobs GROUP BY status");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.get(JobStatus.parse(rows.getString(1))).add(rows.getLong(2));
            }
        }
    }

    /**
     * What a write did to a job's status: {@code from} (null for a new job) to the write's status when
     * {@code changed}, and the write's own answer.
     */
    private record Transition<T>(JobStatus from, boolean changed, T value) {
    }

    private static <T> Transition<T> unchanged(T value) {
        return new Transition<>(null, false, value);
    }

    /** Applied once the write is committed, so a failed commit never moves a count. */
    private void count(Transition<?> transition, JobStatus to) {
        if (!transition.changed()) {
            return;
        }
        if (transition.from() != null) {
            counts.get(transition.from()).decrement();
        }
        counts.get(to).increment();
    }

    /**
     * A reason cut to its column, so a long error (a worker's stack trace, a host's message) is
     * recorded instead of making the store refuse the outcome; the whole text stays in the result.
     */
    private static String fitted(String reason) {
        if (reason == null || reason.length() <= REASON_LENGTH) {
            return reason;
        }
        String cut = " … (cut; the whole text is in the result)";
        return reason.substring(0, REASON_LENGTH - cut.length()) + cut;
    }

    /** One job's row updated to {@code status}; the status it had comes back from the same statement. */
    private void update(JobStatus status, String sql, Object... values) {
        try {
            Transition<Void> done = writes.write(c -> {
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
            throw storeFailure("update job " + values[values.length - 1], e);
        }
    }

    private static JobRecord record(ResultSet rows) throws SQLException {
        String result = rows.getString("result");
        JsonNode resultJson = null;
        if (result != null) {
            try {
                resultJson = Json.mapper().readTree(result);
            } catch (JsonProcessingException e) {
                resultJson = Json.mapper().getNodeFactory().textNode(result);
            }
        }
        return new JobRecord(rows.getString("job_id"), rows.getString("kind"), JobStatus.parse(rows.getString("status")),
                rows.getString("method"), rows.getString("reason"), rows.getInt("attempts"), rows.getString("source"),
                rows.getString("req_id"), rows.getString("attempt_id"), Instant.ofEpochMilli(rows.getLong("created_ms")),
                Instant.ofEpochMilli(rows.getLong("updated_ms")), resultJson, rows.getString("job_file"));
    }

    private static IllegalStateException storeFailure(String what, SQLException e) {
        return new IllegalStateException("job store cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void start() {
        // opened in the constructor, so a locked or broken store stops the core at start-up
    }

    @Override
    public void stop() {
        writes.close();
        pool.dispose();
    }
}
