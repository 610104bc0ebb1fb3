package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job store's decisions on known job_ids, and what it does with jobs a crash cut off. */
class JobStoreTest {
    @TempDir
    Path state;

    private static IncomingJob job(String id, boolean replay) {
        ObjectNode doc = Json.mapper().createObjectNode().put("job_id", id).put("kind", "echo");
        return new IncomingJob(id, "echo", doc, replay);
    }

    /** The store's database as it is on disk, opened directly (the store must be stopped). */
    private Connection database() throws SQLException {
        return DriverManager.getConnection(JobStore.databaseUrl(state), "sa", "");
    }

    @Test
    void aStoreMadeBeforeTheSequenceBlockGetsItAtOpenAndKeepsItsOrder() throws SQLException {
        JobStore store = new JobStore(state, Clock.systemUTC());
        store.admit(job("older", false), "http", null);
        store.stop();
        try (Connection c = database()) {
            // as the store was before JobStore set the block: H2's default
            c.createStatement().execute("ALTER TABLE jobs ALTER COLUMN seq SET CACHE 32");
        }

        JobStore reopened = new JobStore(state, Clock.systemUTC());
        try {
            reopened.admit(job("newer", false), "http", null);
            assertEquals(List.of("newer", "older"), reopened.page(10, 0).stream().map(JobRecord::jobId).toList());
        } finally {
            reopened.stop();
        }
        try (Connection c = database(); ResultSet column = c.createStatement().executeQuery(
                "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'JOBS' AND COLUMN_NAME = 'SEQ'")) {
            assertTrue(column.next());
            assertEquals(JobStore.SEQ_BLOCK, column.getLong(1));
        }
    }

    @Test
    void aKnownJobIsDispatchedAgainOnlyWhenFailedOrAQueuedOneIsReplayed() {
        JobStore store = new JobStore(state, Clock.systemUTC());
        try {
            assertEquals(JobStore.Admission.NEW, store.admit(job("a", false), "http", null).admission());
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("a", false), "http", null).admission(), "pending");
            store.finish("a", JobStatus.COMPLETED, "offgrid", null, null);
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("a", true), "inbox", null).admission(), "completed");

            store.admit(job("b", false), "http", null);
            store.finish("b", JobStatus.FAILED, "offgrid", "no_hosts", null);
            JobStore.Admitted retried = store.admit(job("b", false), "http", null);
            assertEquals(JobStore.Admission.RETRY, retried.admission());
            assertNull(retried.resumeAttemptId(), "a failed job gets a new attempt");
            assertEquals(2, store.find("b").orElseThrow().attempts());

            store.admit(job("c", false), "http", null);
            store.queued("c", "broker_unreachable", "webrelay_out/c.job.json");
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("c", false), "http", null).admission());
            assertEquals(JobStore.Admission.RETRY, store.admit(job("c", true), "inbox", null).admission());
        } finally {
            store.stop();
        }
    }

    @Test
    void aJobForTheBrokerIsRecordedDispatchingWithItsIdsInTheWriteThatAdmitsIt() {
        JobStore store = new JobStore(state, Clock.systemUTC());
        try {
            store.admit(job("a", false), "http", new JobStore.BrokerAttempt("req-a", "attempt-a"));
            JobRecord first = store.find("a").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, first.status());
            assertEquals("offgrid", first.method());
            assertEquals("req-a", first.reqId());
            assertEquals("attempt-a", first.attemptId());
            assertEquals(1, first.attempts());

            store.finish("a", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            JobStore.Admitted again = store.admit(job("a", false), "http", new JobStore.BrokerAttempt("req-b", "attempt-b"));
            assertEquals(JobStore.Admission.RETRY, again.admission());
            assertNull(again.resumeAttemptId(), "a failed job is a new attempt");
            JobRecord second = store.find("a").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, second.status());
            assertEquals("attempt-b", second.attemptId());
            assertEquals("req-b", second.reqId());
            assertNull(second.reason(), "the old failure is no reason of the new attempt");
            assertEquals(2, second.attempts());

            store.admit(job("q", false), "inbox", null);
            JobRecord forQueue = store.find("q").orElseThrow();
            assertEquals(JobStatus.PENDING, forQueue.status(), "a job for the file queue waits for its queue file");
            assertNull(forQueue.method());
            assertNull(forQueue.attemptId());

            store.finish("a", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            store.admit(job("a", false), "inbox", null); // the mode is disabled now
            JobRecord third = store.find("a").orElseThrow();
            assertEquals(JobStatus.PENDING, third.status());
            assertNull(third.attemptId(), "attempt-b is over: a crash now must not resume it");
            assertNull(third.method());
        } finally {
            store.stop();
        }
    }

    @Test
    void theCountsPerStatusFollowEveryWriteAndAreCountedAgainAtOpen() {
        JobStore store = new JobStore(state, Clock.systemUTC());
        try {
            store.admit(job("a", false), "http", new JobStore.BrokerAttempt("req-a", "attempt-a"));
            store.admit(job("b", false), "http", null);
            store.admit(job("c", false), "http", null);
            assertEquals(counts(2, 1, 0, 0, 0), store.countsByStatus());
            store.finish("a", JobStatus.COMPLETED, "offgrid", null, null);
            store.queued("b", "mode_disabled", "webrelay_out/b.job.json");
            store.finish("c", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            assertEquals(counts(0, 0, 1, 1, 1), store.countsByStatus());

            store.admit(job("c", false), "http", null); // failed: dispatched again
            store.admit(job("a", false), "http", null); // completed: known, nothing changes
            store.finish("nobody", JobStatus.FAILED, "offgrid", "no such job", null);
            assertEquals(counts(1, 0, 1, 0, 1), store.countsByStatus());
        } finally {
            store.stop();
        }
        JobStore reopened = new JobStore(state, Clock.systemUTC());
        try {
            // c was pending when the store closed: interrupted, so failed
            assertEquals(counts(0, 0, 1, 1, 1), reopened.countsByStatus());
        } finally {
            reopened.stop();
        }
    }

    private static java.util.Map<JobStatus, Long> counts(long pending, long dispatching, long completed, long failed,
                                                         long queued) {
        return java.util.Map.of(JobStatus.PENDING, pending, JobStatus.DISPATCHING, dispatching,
                JobStatus.COMPLETED, completed, JobStatus.FAILED, failed, JobStatus.QUEUED, queued);
    }

    @Test
    void jobsCutOffByACrashBecomeFailedAndResumeWithTheirAttemptId() {
        JobStore before = new JobStore(state, Clock.systemUTC());
        before.admit(job("mid-flight", false), "inbox", new JobStore.BrokerAttempt("req-1", "attempt-1"));
        before.admit(job("never-started", false), "inbox", null);
        before.stop(); // the process dies: no outcome was recorded

        JobStore after = new JobStore(state, Clock.systemUTC());
        try {
            assertEquals(2, after.interruptedAtStart());
            JobRecord cut = after.find("mid-flight").orElseThrow();
            assertEquals(JobStatus.FAILED, cut.status());
            assertEquals(JobStore.INTERRUPTED, cut.reason());

            JobStore.Admitted resumed = after.admit(job("mid-flight", false), "inbox",
                    new JobStore.BrokerAttempt("req-2", "attempt-2"));
            assertEquals(JobStore.Admission.RETRY, resumed.admission());
            assertEquals("attempt-1", resumed.resumeAttemptId());
            JobRecord resumedRecord = after.find("mid-flight").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, resumedRecord.status());
            assertEquals("attempt-1", resumedRecord.attemptId(), "the interrupted attempt is resumed, not a new one");
            assertEquals("req-2", resumedRecord.reqId());
            JobStore.Admitted fresh = after.admit(job("never-started", false), "inbox",
                    new JobStore.BrokerAttempt("req-3", "attempt-3"));
            assertEquals(JobStore.Admission.RETRY, fresh.admission());
            assertNull(fresh.resumeAttemptId(), "no attempt was made yet");
            assertEquals("attempt-3", after.find("never-started").orElseThrow().attemptId());
        } finally {
            after.stop();
        }
    }
}
