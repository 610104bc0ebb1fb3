package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.RootCause;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * The job store on a PostgreSQL server that several cores share ({@code offgrid.core.job-store=postgres},
 * SPEC 15): a HikariCP pool of connections, and the schema brought up to date by Flyway at open from the
 * versioned scripts in {@code db/postgres/} (Flyway holds a database lock while it migrates, so cores
 * starting together migrate once). A server that cannot be reached, or refuses the login, stops the core
 * at start-up with the URL and the reason — never the password. As a Camel service it closes the pool.
 */
final class PostgresJobDatabase extends ServiceSupport implements JobConnections {
    /** Flyway's scripts; V1 made the tables of the first version */
    static final String MIGRATIONS = "classpath:db/postgres";
    private static final int MAX_CONNECTIONS = 16;
    /** a write that waits longer than this for a connection fails, and the caller is answered 503 */
    private static final long CONNECTION_TIMEOUT_MS = 3000;

    private final HikariDataSource pool;

    private PostgresJobDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects as {@code coreId} (the connections' application_name: the jobs a core admits are its own,
     * see V1__jobs.sql) and migrates the schema.
     */
    static PostgresJobDatabase open(JobStoreSettings settings, String coreId) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("core-job-store");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.addDataSourceProperty("ApplicationName", coreId);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the job store's PostgreSQL at " + settings.safeUrl() + " as user '"
                    + settings.jdbcUser() + "': " + RootCause.message(e) + " — check offgrid.core.jdbc-url, offgrid.core.jdbc-user and"
                    + " offgrid.core.jdbc-password, and that the server runs", e);
        }
        try {
            // a history table of its own, and a baseline below V1, so the ledger may share the database
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).table("job_store_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot bring the job store's schema at " + settings.safeUrl()
                    + " up to date: " + RootCause.message(e), e);
        }
        return new PostgresJobDatabase(pool);
    }


    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    protected void doStop() {
        pool.close();
    }
}
