package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import com.sheratan.offgrid.observe.ReadinessCheck;

/**
 * Readiness of a core on a shared PostgreSQL job store (SPEC 14, 15): the database answers on a
 * connection of the pool. DOWN with the driver's reason while it cannot be reached; the core stays live
 * and is ready again once the database is back.
 */
final class JobStoreReachableCheck extends ReadinessCheck {
    private static final int TIMEOUT_SECONDS = 2;
    private final JobConnections database;
    private final String url;

    JobStoreReachableCheck(String id, JobConnections database, String url) {
        super(id);
        this.database = database;
        this.url = url;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", url);
        try (Connection c = database.connection()) {
            if (c.isValid(TIMEOUT_SECONDS)) {
                builder.up();
                return;
            }
            builder.message("the job store's PostgreSQL at " + url + " does not answer");
        } catch (SQLException e) {
            builder.message("cannot reach the job store's PostgreSQL at " + url + ": " + e.getMessage());
        }
        builder.down();
    }
}
