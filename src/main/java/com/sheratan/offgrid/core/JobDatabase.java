package com.sheratan.offgrid.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.apache.camel.support.service.ServiceSupport;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The job store's embedded H2 database, a file in {@code offgrid.core.state-dir}, and the pool of
 * connections to it. {@link JobStore#open} opens it while the core is configured, so a locked or
 * broken store stops the core at start-up; as a Camel service it is stopped, and closed, with the core.
 */
public final class JobDatabase extends ServiceSupport implements JobConnections {
    /** the database's name in the state folder; H2 keeps it in {@code jobs.mv.db} */
    private static final String DATABASE = "jobs";
    private static final int INLINE_LOB_BYTES = 4096;
    private static final int CACHE_KIB = 2048;
    private static final int MAX_CONNECTIONS = 32;

    private final JdbcConnectionPool pool;

    private JobDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** The file that holds the jobs of a store in {@code stateDir}. */
    public static Path file(Path stateDir) {
        return stateDir.resolve(DATABASE + ".mv.db");
    }

    /** The JDBC URL of a store's database in {@code stateDir}, without H2 settings (tests open it directly). */
    static String url(Path stateDir) {
        return "jdbc:h2:file:" + stateDir.resolve(DATABASE).toAbsolutePath();
    }

    /**
     * Opens the database in {@code stateDir}, making the folder when missing. {@code h2Settings}: more
     * H2 settings for the URL, for tests (e.g. {@code ";RETENTION_TIME=0"}); empty for the core.
     */
    static JobDatabase open(Path stateDir, String h2Settings) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the core's state folder " + stateDir + ": " + e.getMessage(), e);
        }
        // WRITE_DELAY=0: a commit is in the file before the core answers or moves an inbox file aside;
        // H2's default keeps up to a second of commits in memory, which a killed core would lose.
        // MAX_LENGTH_INPLACE_LOB: a job document or result up to 4 KiB (an echo job's result is ~0.9 KiB)
        // is kept in its row; H2's default of 256 bytes put every result in its separate LOB storage,
        // which made the store's CPU per job ~40% higher (docs/benchmarks.md, "Why the code is as it is").
        // CACHE_SIZE (KiB): H2 keeps the pages it writes in this cache. Its default of 16 MiB held each
        // page for a second or so under load, long enough to be promoted to the old generation and die
        // there: the mesh's full collections (~100 ms each, every ~5 s at 64 clients) that set the
        // p99. With 2 MiB there were a quarter as many, and the store alone costs less CPU per job
        // (docs/benchmarks.md, "Why the code is as it is").
        JdbcConnectionPool pool = JdbcConnectionPool.create(url(stateDir) + ";WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB="
                + INLINE_LOB_BYTES + ";CACHE_SIZE=" + CACHE_KIB + h2Settings, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        return new JobDatabase(pool);
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** What the core hears when the store refuses {@code what} (e.g. "record job X"): the store's own reason. */
    static IllegalStateException failure(String what, SQLException e) {
        String message = "job store cannot " + what + ": " + e.getMessage();
        return unreachable(e) ? new JobStoreUnavailableException(message, e) : new IllegalStateException(message, e);
    }

    /** The database could not be reached or the connection broke (SQLSTATE class 08), rather than refusing the statement. */
    static boolean unreachable(SQLException e) {
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    @Override
    protected void doStop() {
        pool.dispose();
    }
}
