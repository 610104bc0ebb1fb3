package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;

/**
 * Leases on the jobs of a store several cores share (SPEC 15). Each core holds one lease in
 * {@code core_leases}, renewed by the route {@code dispatch-leases}; the jobs it left {@code pending} or
 * {@code dispatching} are its own (the database records the owner, V1__jobs.sql). When a core's lease runs
 * out (it died, or lost the database), any live core takes its jobs over in one conditional update, so
 * each job is taken by exactly one core: a job whose queue file was written becomes {@code queued}, the
 * others are dispatched again with the attempt_id they had, so a host that already ran that attempt
 * answers with its first result instead of running it twice. A job of a live core that has waited far
 * longer than any dispatch can (its outcome was lost with the database) is taken over the same way.
 *
 * <p>The embedded file store has one core and needs none of this: {@link #none()} does nothing.
 */
public class DispatchLeases extends ServiceSupport {
    private static final Logger LOG = EscapingLogger.of(DispatchLeases.class);
    private static final String DB_NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    private static final String RENEW = "INSERT INTO core_leases (core_id, expires_ms) VALUES (?, " + DB_NOW_MS
            + " + ?) ON CONFLICT (core_id) DO UPDATE SET expires_ms = EXCLUDED.expires_ms";
    private static final String TAKE_OVER = "UPDATE jobs SET status = '" + JobStatus.FAILED.value() + "', reason = ?,"
            + " updated_ms = ? WHERE status IN ('" + JobStatus.PENDING.value() + "', '" + JobStatus.DISPATCHING.value()
            + "') AND (owner IS NULL OR owner NOT IN (SELECT core_id FROM core_leases WHERE expires_ms > " + DB_NOW_MS
            + ") OR updated_ms < ?) RETURNING job_id, attempts";

    private final String coreId;
    private final JobConnections database;
    private final long leaseMs;
    private final long staleMs;
    private final FileQueueWriter fileQueue;
    private final Clock clock;
    private boolean renewFailing;

    /** {@code staleMs}: how long a job may wait on a live core's dispatch before it is taken over too. */
    DispatchLeases(String coreId, JobConnections database, long leaseMs, long staleMs, FileQueueWriter fileQueue,
                   Clock clock) {
        this.coreId = coreId;
        this.database = database;
        this.leaseMs = leaseMs;
        this.staleMs = staleMs;
        this.fileQueue = fileQueue;
        this.clock = clock;
    }

    /** For a store of one core: no lease to keep, no job to take over. */
    static DispatchLeases none() {
        return new DispatchLeases(null, null, 0, 0, null, null) {
            @Override
            protected void doStart() {
            }

            @Override
            protected void doStop() {
            }

            @Override
            public void renew() {
            }

            @Override
            public List<String> takeOver() {
                return List.of();
            }
        };
    }

    /** The core holds its lease before any route takes a job. */
    @Override
    protected void doStart() throws SQLException {
        write(RENEW);
        LOG.info("core {} holds a dispatch lease of {} ms on the shared job store", coreId, leaseMs);
    }

    /** A clean stop gives the lease up: what the core leaves without an outcome is taken over at once. */
    @Override
    protected void doStop() {
        try (Connection c = database.connection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM core_leases WHERE core_id = ?")) {
            delete.setString(1, coreId);
            delete.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("core {} could not give its lease up ({}); its jobs are taken over when it runs out", coreId,
                    e.getMessage());
        }
    }

    /** Extends this core's lease by {@code dispatch-lease-ms} from now (the database's clock). */
    public void renew() {
        try {
            write(RENEW);
            if (renewFailing) {
                LOG.info("core {} renews its dispatch lease again", coreId);
            }
            renewFailing = false;
        } catch (SQLException e) {
            if (!renewFailing) {
                LOG.warn("core {} cannot renew its dispatch lease ({}); once it runs out other cores take its jobs over",
                        coreId, e.getMessage());
            }
            renewFailing = true;
        }
    }

    private void write(String sql) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement renew = c.prepareStatement(sql)) {
            renew.setString(1, coreId);
            renew.setLong(2, leaseMs);
            renew.executeUpdate();
        }
    }

    /**
     * Takes over the jobs of cores whose lease ran out: marks them {@link InterruptedJob#REASON}, records
     * those with a queue file queued, and answers the job_ids to dispatch again (route {@code dispatch-leases}).
     */
    public List<String> takeOver() {
        List<InterruptedJob> taken = new ArrayList<>();
        long now = clock.millis();
        try (Connection c = database.connection(); PreparedStatement update = c.prepareStatement(TAKE_OVER)) {
            update.setString(1, InterruptedJob.REASON);
            update.setLong(2, now);
            update.setLong(3, now - staleMs);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    taken.add(new InterruptedJob(rows.getString(1), rows.getInt(2)));
                }
            }
        } catch (SQLException e) {
            LOG.warn("core {} cannot look for jobs to take over ({}); it tries again in a moment", coreId,
                    e.getMessage());
            return List.of();
        }
        if (taken.isEmpty()) {
            return List.of();
        }
        int queued = fileQueue.recoverInterrupted(taken);
        LOG.warn("core {} takes over {} job(s) whose core's lease ran out: {} had been written to the file queue and are"
                + " queued, the others are dispatched again with their attempt_id", coreId, taken.size(), queued);
        return taken.stream().map(InterruptedJob::jobId).toList();
    }
}
