package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.core.objects.ObjectStore;
import com.sheratan.offgrid.security.Digests;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The core's job records backed up to mesh storage (SPEC 13, {@code offgrid.core.backup-to-mesh}).
 * The outbox is the job table itself: every write of a job sets its {@code backup_pending} flag in the
 * same transaction, so a job acknowledged before a crash is still sent after the restart. Each pass
 * stores every pending job, all its columns, as the object {@code _offgrid/jobs/<job_id>}, then clears
 * the flag unless the job changed meanwhile. {@link #restore} writes such records back into an empty store.
 */
public final class JobBackup {
    private static final Logger LOG = EscapingLogger.of(JobBackup.class);
    public static final String KEY_PREFIX = "_offgrid/jobs/";
    private static final int BATCH = 200;
    private static final String PENDING = "SELECT * FROM jobs WHERE backup_pending = TRUE ORDER BY updated_ms LIMIT " + BATCH;
    private static final String SENT = "UPDATE jobs SET backup_pending = FALSE WHERE job_id = ? AND updated_ms = ?"
            + " AND status = ? AND attempts = ?";
    /** columns that are the store's own bookkeeping, not the job (owner: the core a shared store's job waits on) */
    private static final List<String> LOCAL = List.of("seq", "backup_pending", "owner");

    private final JobConnections database;
    private final ObjectStore objects;

    JobBackup(JobConnections database, ObjectStore objects) {
        this.database = database;
        this.objects = objects;
    }

    /** One pass: every pending job (up to a batch) stored on the mesh; a mesh that refuses ends the pass. */
    public void sendPending() {
        List<ObjectNode> pending = pending();
        int sent = 0;
        for (ObjectNode record : pending) {
            String jobId = record.path("job_id").asText();
            try {
                objects.put(KEY_PREFIX + keyOf(jobId), Json.mapper().writeValueAsBytes(record), "application/json");
            } catch (Exception e) {
                LOG.warn("backup of job {} to mesh storage failed ({}); {} job(s) wait in the outbox, tried again in"
                        + " offgrid.core.backup-interval-ms", jobId, e.getMessage(), pending.size() - sent);
                return;
            }
            markSent(record);
            sent++;
        }
        if (sent > 0) {
            LOG.debug("backed up {} job(s) to mesh storage", sent);
        }
    }

    /** Jobs still to be sent (for tests and status). */
    public int pendingCount() {
        try (Connection c = database.connection();
             PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM jobs WHERE backup_pending = TRUE");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw JobDatabase.failure("count the jobs waiting for backup", e);
        }
    }

    private List<ObjectNode> pending() {
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement(PENDING);
             ResultSet rows = query.executeQuery()) {
            List<ObjectNode> records = new ArrayList<>();
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                ObjectNode record = Json.object();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String column = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    if (!LOCAL.contains(column)) {
                        put(record, column, rows.getObject(i));
                    }
                }
                records.add(record);
            }
            return records;
        } catch (SQLException e) {
            throw JobDatabase.failure("read the jobs waiting for backup", e);
        }
    }

    private static void put(ObjectNode record, String column, Object value) throws SQLException {
        if (value == null) {
            record.putNull(column);
        } else if (value instanceof Clob clob) {
            record.put(column, clob.getSubString(1, (int) clob.length()));
        } else if (value instanceof Integer number) {
            record.put(column, number);
        } else if (value instanceof Long number) {
            record.put(column, number);
        } else if (value instanceof Boolean flag) {
            record.put(column, flag);
        } else if (value instanceof BigDecimal decimal) {
            record.put(column, decimal.toPlainString());
        } else {
            record.put(column, value.toString());
        }
    }

    private void markSent(ObjectNode record) {
        try (Connection c = database.connection(); PreparedStatement update = c.prepareStatement(SENT)) {
            update.setString(1, record.path("job_id").asText());
            update.setLong(2, record.path("updated_ms").asLong());
            update.setString(3, record.path("status").asText());
            update.setInt(4, record.path("attempts").asInt());
            update.executeUpdate();
        } catch (SQLException e) {
            throw JobDatabase.failure("mark a job as backed up", e);
        }
    }

    /** The object key part for a job id: the id itself when it is a valid key segment, else its SHA-256. */
    static String keyOf(String jobId) {
        return jobId.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}") ? jobId : Digests.sha256Hex(jobId);
    }

    /**
     * Writes backed-up job records into the job store in {@code stateDir} (made when missing); a job
     * already there is replaced by the record. Restored jobs need no backup again.
     *
     * @return how many jobs were written
     */
    public static int restore(java.nio.file.Path stateDir, List<JsonNode> records) {
        JobDatabase database = JobDatabase.open(stateDir, "");
        database.start();
        try (Connection c = database.connection()) {
            JobTable.create(c);
            java.util.Set<String> known = new java.util.HashSet<>();
            try (PreparedStatement none = c.prepareStatement("SELECT * FROM jobs WHERE 1 = 0");
                 ResultSet empty = none.executeQuery()) {
                for (int i = 1; i <= empty.getMetaData().getColumnCount(); i++) {
                    known.add(empty.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                }
            }
            int written = 0;
            for (JsonNode record : records) {
                List<String> columns = new ArrayList<>();
                List<JsonNode> values = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = record.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    // only the columns this store has: a record from a newer core keeps what fits
                    if (known.contains(field.getKey()) && !LOCAL.contains(field.getKey())) {
                        columns.add(field.getKey());
                        values.add(field.getValue());
                    }
                }
                String sql = "MERGE INTO jobs (" + String.join(", ", columns) + ", backup_pending) KEY(job_id) VALUES ("
                        + "?, ".repeat(columns.size()) + "FALSE)";
                try (PreparedStatement merge = c.prepareStatement(sql)) {
                    for (int i = 0; i < values.size(); i++) {
                        JsonNode value = values.get(i);
                        if (value.isNull()) {
                            merge.setObject(i + 1, null);
                        } else if (value.isIntegralNumber()) {
                            merge.setLong(i + 1, value.asLong());
                        } else if (value.isBoolean()) {
                            merge.setBoolean(i + 1, value.asBoolean());
                        } else {
                            merge.setString(i + 1, value.asText());
                        }
                    }
                    merge.executeUpdate();
                    written++;
                }
            }
            return written;
        } catch (SQLException e) {
            throw JobDatabase.failure("restore the backed-up jobs", e);
        } finally {
            database.stop();
        }
    }
}
