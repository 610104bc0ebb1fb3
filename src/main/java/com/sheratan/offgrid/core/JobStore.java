package com.sheratan.offgrid.core;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Service;

/**
 * The job store, opened: an embedded H2 database in file mode under {@code offgrid.core.state-dir},
 * so job status survives a restart of the core ({@link #open}), or a PostgreSQL database that several
 * cores share ({@link #openShared}). Its parts each do one thing: {@link JobTable} is the
 * record format, {@link JobRecorder} writes through the {@link GroupCommit} (which also compacts the
 * file, {@link StoreCompaction}), {@link JobLookup} reads, {@link StatusCounts} counts.
 *
 * @param services the parts Camel starts and stops with the core, in the order they start
 * @param interrupted the jobs the previous run left without an outcome, as they were when the store opened
 */
record JobStore(JobRecorder recorder, JobLookup lookup, List<InterruptedJob> interrupted, List<Service> services,
                JobConnections database) {
    private static final String WRITER_THREAD = "core-job-store-writer";

    static JobStore open(Path stateDir, Clock clock) {
        return open(stateDir, clock, "");
    }

    /**
     * Opens the database and brings it to where this run starts: the table up to date, the jobs a
     * crash cut off marked failed, the jobs counted per status. Writes are refused until the
     * {@link #services} are started. {@code h2Settings} as {@link JobDatabase#open}.
     */
    static JobStore open(Path stateDir, Clock clock, String h2Settings) {
        JobDatabase database = JobDatabase.open(stateDir, h2Settings);
        try (Connection c = database.connection()) {
            JobTable.create(c);
            List<InterruptedJob> interrupted = InterruptedJob.markFailed(c, clock.millis());
            StatusCounts counts = StatusCounts.countedIn(c);
            GroupCommit commits = new GroupCommit(database, WRITER_THREAD);
            return new JobStore(new JobRecorder(commits, counts, clock), new JobLookup(database, counts),
                    interrupted, List.of(database, commits), database);
        } catch (SQLException | RuntimeException e) {
            database.stop();
            throw new IllegalStateException("cannot open the job store in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the store on the PostgreSQL database several cores share (SPEC 15), its schema migrated,
     * writing as {@code coreId}. Nothing is marked at open: the other cores may be dispatching; jobs of
     * dead cores are taken over by {@link DispatchLeases}.
     */
    static JobStore openShared(JobStoreSettings settings, String coreId, Clock clock) {
        PostgresJobDatabase database = PostgresJobDatabase.open(settings, coreId);
        SharedStatusCounts counts = new SharedStatusCounts(database);
        return new JobStore(new JobRecorder(new PooledWrites(database), counts, clock, true),
                new JobLookup(database, counts), List.of(), List.of(database), database);
    }
}
