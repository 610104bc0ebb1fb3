package com.sheratan.offgrid.storage;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup outbox of a core whose jobs are in PostgreSQL (SPEC 13 with SPEC 15): every job record
 * reaches mesh storage and its {@code backup_pending} flag is cleared in the shared database.
 */
class PostgresBackupTest {
    @TempDir
    Path home;

    @Test
    void aPostgresCoresJobRecordsReachTheMesh() throws Exception {
        try (TestPostgres postgres = TestPostgres.start(false)) {
            String jdbcUrl = postgres.newDatabase();
            Map<String, String> core = Map.of("offgrid.core.job-store", "postgres", "offgrid.core.jdbc-url", jdbcUrl,
                    "offgrid.core.jdbc-user", TestPostgres.USER, "offgrid.core.backup-to-mesh", "true",
                    "offgrid.core.backup-interval-ms", "200", "offgrid.storage.scrub-interval-s", "3600",
                    "offgrid.storage.key", Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'q'));
            try (StorageMesh mesh = new StorageMesh(home, 2, core, Map.of())) {
                String jobId = "pg-backup-job-1";
                JsonNode answer = json(mesh.http.postJson(mesh.coreUrl("/api/jobs"),
                        "{\"job_id\":\"" + jobId + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"kept twice\"}}"));
                assertEquals(jobId, answer.get("job_id").asText());
                Eventually.holds(Duration.ofSeconds(30), () -> {
                    JsonNode job = json(mesh.http.get(mesh.coreUrl("/api/jobs/" + jobId)));
                    var backedUp = mesh.get("_offgrid/jobs/" + jobId);
                    assertEquals(200, backedUp.statusCode());
                    JsonNode record = json(new String(backedUp.body()));
                    assertEquals(job.get("status").asText(), record.get("status").asText());
                    assertEquals(job.get("updated_at").asText(),
                            java.time.Instant.ofEpochMilli(record.get("updated_ms").asLong()).toString());
                    assertFalse(backupPending(jdbcUrl, jobId), "the outbox flag is cleared once the record is stored");
                });
            }
        }
    }

    private static boolean backupPending(String jdbcUrl, String jobId) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, TestPostgres.USER, "");
             PreparedStatement select = c.prepareStatement("SELECT backup_pending FROM jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the job is in PostgreSQL");
                return row.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
