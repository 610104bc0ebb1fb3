package com.sheratan.offgrid.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The job store's record format: the {@code jobs} table, and how a {@link JobRecord} is written to
 * and read from its row. Statuses are kept as {@link JobStatus#value()}, job documents and results
 * as JSON text, times as epoch milliseconds. A store written by any earlier core reads the same.
 */
final class JobTable {
    /** The columns a {@link JobRecord} is read from, for {@code SELECT}; see {@link #record}. */
    static final String COLUMNS = "job_id, kind, status, method, reason, attempts, source, req_id, attempt_id,"
            + " created_ms, updated_ms, result, job_file";
    static final int REASON_LENGTH = 2000;
    /** seq values the store takes at a time (H2's default is 32); see {@link #create} */
    static final int SEQ_BLOCK = 4096;

    private JobTable() {
    }

    /** Makes the table when the store is new, and brings an older store's table up to date. */
    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jobs ("
                    + " seq BIGINT AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(128) NOT NULL UNIQUE,"
                    + " kind VARCHAR(256), status VARCHAR(16) NOT NULL, method VARCHAR(16), reason VARCHAR(" + REASON_LENGTH + "),"
                    + " attempts INT NOT NULL, source VARCHAR(16), req_id VARCHAR(64), attempt_id VARCHAR(64),"
                    + " created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, job CLOB, result CLOB,"
                    + " job_file VARCHAR(1024))");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status)");
            // GET /api/jobs?mission_id= (SPEC 14); stores made before it get the column, empty for their jobs
            s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS mission_id VARCHAR(256)");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_mission ON jobs(mission_id)");
            // what a completed job was charged in the broker's cost ledger (SPEC 12)
            s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS cost_amount DECIMAL(38, 9)");
            s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS ledger_seq BIGINT");
            s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS leaf_hash VARCHAR(64)");
            // the outbox of the core's backup to mesh storage (SPEC 13, JobBackup): every write sets it in the
            // same transaction, so a job acknowledged before a crash is still sent after the restart
            s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS backup_pending BOOLEAN DEFAULT TRUE NOT NULL");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_backup_pending ON jobs(backup_pending)");
            // Each time seq's sequence uses up its block of values, H2 records the next block in the file
            // in a commit of its own: with its default block of 32 that was one more commit every 32 jobs,
            // a tenth of the store's CPU under load (docs/benchmarks.md, "Why the code is as it is"). A crash skips
            // the unused rest of a block; seq only orders the jobs, and after a restart it still grows.
            // Set at every open, so stores made before this line get it too (one small write).
            s.execute("ALTER TABLE jobs ALTER COLUMN seq SET CACHE " + SEQ_BLOCK);
        }
    }

    /** The job in the current row of {@code rows}, selected with {@link #COLUMNS}. */
    static JobRecord record(ResultSet rows) throws SQLException {
        return new JobRecord(rows.getString("job_id"), rows.getString("kind"), JobStatus.parse(rows.getString("status")),
                rows.getString("method"), rows.getString("reason"), rows.getInt("attempts"), rows.getString("source"),
                rows.getString("req_id"), rows.getString("attempt_id"), Instant.ofEpochMilli(rows.getLong("created_ms")),
                Instant.ofEpochMilli(rows.getLong("updated_ms")), json(rows.getString("result")), rows.getString("job_file"));
    }

    /** A job document or result as its column keeps it. */
    static String text(JsonNode json) {
        return json == null ? null : json.toString();
    }

    /** A result column read back; text that is not JSON (no core writes that) comes back as a JSON string. */
    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return Json.mapper().getNodeFactory().textNode(text);
        }
    }

    /**
     * A reason cut to its column, so a long error (a worker's stack trace, a host's message) is
     * recorded instead of making the store refuse the outcome; the whole text stays in the result.
     */
    static String reason(String reason) {
        if (reason == null || reason.length() <= REASON_LENGTH) {
            return reason;
        }
        String cut = " … (cut; the whole text is in the result)";
        return reason.substring(0, REASON_LENGTH - cut.length()) + cut;
    }
}
