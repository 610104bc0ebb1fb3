package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;

/**
 * Keeps the job store's file in proportion to the jobs it holds. H2 writes every commit as a new
 * chunk of copied pages and frees a chunk only once none of its pages is live; it is H2's background
 * writer that rewrites the live pages of sparse chunks so they can be freed. {@code WRITE_DELAY=0},
 * which the store needs so a commit is in the file before the core answers, turns that writer off
 * (H2 issue #442), and the file then grew by ~12.6 KiB per job for good: 1 GiB after 83,000 jobs
 * (docs/benchmarks.md, "Why the code is as it is").
 *
 * <p>So the store's writer thread takes one small step of H2's own compaction between commits, at
 * most every {@link #INTERVAL_MS} ms: the sparsest chunks have up to {@link #STEP_BYTES} of live
 * pages rewritten. H2 still keeps every chunk of the last 45 s ({@code RETENTION_TIME}, its guard
 * against a power loss, kept). Under full load (~1,100 jobs/s) the file then carries ~2 GiB of such
 * recent chunks, and beyond that grows by 4–5 KiB per job instead of ~12.6 KiB; at everyday rates the
 * recent chunks are a few MB. A step blocks the store's writes for ~2 ms (at most ~30 ms seen).
 */
final class StoreCompaction {
    private static final Logger LOG = EscapingLogger.of(StoreCompaction.class);
    /** rewrite chunks less than this full (percent of their bytes live) */
    static final int TARGET_FILL_PERCENT = 80;
    static final int STEP_BYTES = 4 << 20;
    static final long INTERVAL_MS = 100;

    private final MVStore store;
    private long lastStep;
    private boolean failing;

    private StoreCompaction(MVStore store) {
        this.store = store;
    }

    /**
     * The compaction of the H2 database behind this connection, or {@code null} when it is not an
     * embedded MVStore database of this H2 version (then the file only grows, as H2 makes it; logged).
     */
    static StoreCompaction of(Connection connection) {
        try {
            if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local
                    && local.getDatabase().getStore() != null) {
                return new StoreCompaction(local.getDatabase().getStore().getMvStore());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the job store cannot compact its file ({}); it grows with every commit", e.toString());
            return null;
        }
        LOG.warn("the job store is not an embedded H2 file; it cannot compact its file");
        return null;
    }

    /** One step, unless the last was less than {@link #INTERVAL_MS} ago. Runs on the writer thread. */
    void step() {
        long now = System.nanoTime();
        if (now - lastStep < TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS)) {
            return;
        }
        lastStep = now;
        try {
            store.compact(TARGET_FILL_PERCENT, STEP_BYTES);
            failing = false;
        } catch (RuntimeException e) {
            // a failed step loses nothing (the live pages stay where they were); the next one tries again
            if (!failing) {
                LOG.warn("a compaction step of the job store failed (logged once until one succeeds): {}",
                        e.toString());
            }
            failing = true;
        }
    }
}
