package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.core.JobRecorder.Admission;
import com.sheratan.offgrid.core.JobRecorder.Admitted;
import com.sheratan.offgrid.core.JobRecorder.BrokerAttempt;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
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
        return DriverManager.getConnection(JobDatabase.url(state), "sa", "");
    }

    @Test
    void aStoreMadeBeforeTheSequenceBlockGetsItAtOpenAndKeepsItsOrder() throws SQLException {
        try (TestJobStore store = TestJobStore.open(state)) {
            store.recorder().admit(job("older", false), "http", null);
        }
        try (Connection c = database()) {
            // as the store was before JobTable set the block: H2's default
            c.createStatement().execute("ALTER TABLE jobs ALTER COLUMN seq SET CACHE 32");
        }

        try (TestJobStore reopened = TestJobStore.open(state)) {
            reopened.recorder().admit(job("newer", false), "http", null);
            assertEquals(List.of("newer", "older"), reopened.lookup().page(10, 0).stream().map(JobRecord::jobId).toList());
        }
        try (Connection c = database(); ResultSet column = c.createStatement().executeQuery(
                "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'JOBS' AND COLUMN_NAME = 'SEQ'")) {
            assertTrue(column.next());
            assertEquals(JobTable.SEQ_BLOCK, column.getLong(1));
        }
    }

    @Test
    void aStoreWrittenBeforeStatusesWereAnEnumOpensAndAnswersTheSameBytes() throws SQLException {
        try (Connection c = database(); Statement s = c.createStatement()) {
            // the table and rows as the core wrote them up to 9302daa, when JobStore kept statuses as strings
            s.execute("CREATE TABLE jobs (seq BIGINT AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(128) NOT NULL UNIQUE,"
                    + " kind VARCHAR(256), status VARCHAR(16) NOT NULL, method VARCHAR(16), reason VARCHAR(2000),"
                    + " attempts INT NOT NULL, source VARCHAR(16), req_id VARCHAR(64), attempt_id VARCHAR(64),"
                    + " created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, job CLOB, result CLOB,"
                    + " job_file VARCHAR(1024))");
            s.execute("CREATE INDEX jobs_status ON jobs(status)");
            s.execute("INSERT INTO jobs (job_id, kind, status, method, attempts, source, req_id, attempt_id, created_ms,"
                    + " updated_ms, job, result) VALUES ('done', 'echo', 'completed', 'offgrid', 1, 'http', 'req-1',"
                    + " 'attempt-1', 1704164645678, 1704164645900, '{\"job_id\":\"done\"}', '{\"ok\":true,\"text\":\"hi\"}')");
            s.execute("INSERT INTO jobs (job_id, kind, status, method, reason, attempts, source, created_ms, updated_ms,"
                    + " job, job_file) VALUES ('waiting', 'echo', 'queued', 'file_queue', 'mode_disabled', 2, 'inbox',"
                    + " 1704164646000, 1704164646001, '{}', 'webrelay_out/waiting.job.json')");
            s.execute("INSERT INTO jobs (job_id, kind, status, method, reason, attempts, source, created_ms, updated_ms,"
                    + " job) VALUES ('lost', 'echo', 'failed', 'offgrid', 'no_hosts_available', 1, 'http',"
                    + " 1704164647000, 1704164647000, '{}')");
        }

        try (TestJobStore store = TestJobStore.open(state)) {
            JobLookup lookup = store.lookup();
            assertEquals("{\"job_id\":\"done\",\"kind\":\"echo\",\"status\":\"completed\",\"method\":\"offgrid\","
                    + "\"reason\":null,\"attempts\":1,\"source\":\"http\",\"req_id\":\"req-1\",\"attempt_id\":\"attempt-1\","
                    + "\"created_at\":\"2024-01-02T03:04:05.678Z\",\"updated_at\":\"2024-01-02T03:04:05.900Z\",\"job_file\":null,"
                    + "\"result\":{\"ok\":true,\"text\":\"hi\"},\"cost\":null}", lookup.find("done").orElseThrow().toJson().toString());
            assertEquals("{\"job_id\":\"waiting\",\"kind\":\"echo\",\"status\":\"queued\",\"method\":\"file_queue\","
                    + "\"reason\":\"mode_disabled\",\"attempts\":2,\"source\":\"inbox\",\"req_id\":null,\"attempt_id\":null,"
                    + "\"created_at\":\"2024-01-02T03:04:06Z\",\"updated_at\":\"2024-01-02T03:04:06.001Z\","
                    + "\"job_file\":\"webrelay_out/waiting.job.json\",\"result\":null,\"cost\":null}",
                    lookup.find("waiting").orElseThrow().toJson().toString());
            assertEquals(List.of("lost", "waiting", "done"), lookup.page(10, 0).stream().map(JobRecord::jobId).toList());
            assertEquals(counts(0, 0, 1, 1, 1), lookup.countsByStatus());

            store.recorder().admit(job("lost", false), "http", null); // failed: dispatched again
        }
        try (Connection c = database(); ResultSet row = c.createStatement().executeQuery(
                "SELECT status, attempts FROM jobs WHERE job_id = 'lost'")) {
            assertTrue(row.next());
            assertEquals("pending", row.getString(1), "stored in the word earlier cores wrote");
            assertEquals(2, row.getInt(2));
        }
    }

    @Test
    void aKnownJobIsDispatchedAgainOnlyWhenFailedOrAQueuedOneIsReplayed() {
        try (TestJobStore store = TestJobStore.open(state)) {
            JobRecorder jobs = store.recorder();
            assertEquals(Admission.NEW, jobs.admit(job("a", false), "http", null).admission());
            assertEquals(Admission.KNOWN, jobs.admit(job("a", false), "http", null).admission(), "pending");
            jobs.finish("a", JobStatus.COMPLETED, "offgrid", null, null);
            assertEquals(Admission.KNOWN, jobs.admit(job("a", true), "inbox", null).admission(), "completed");

            jobs.admit(job("b", false), "http", null);
            jobs.finish("b", JobStatus.FAILED, "offgrid", "no_hosts", null);
            Admitted retried = jobs.admit(job("b", false), "http", null);
            assertEquals(Admission.RETRY, retried.admission());
            assertNull(retried.resumeAttemptId(), "a failed job gets a new attempt");
            assertEquals(2, store.lookup().find("b").orElseThrow().attempts());

            jobs.admit(job("c", false), "http", null);
            jobs.queued("c", "broker_unreachable", "webrelay_out/c.job.json");
            assertEquals(Admission.KNOWN, jobs.admit(job("c", false), "http", null).admission());
            assertEquals(Admission.RETRY, jobs.admit(job("c", true), "inbox", null).admission());
        }
    }

    @Test
    void aJobForTheBrokerIsRecordedDispatchingWithItsIdsInTheWriteThatAdmitsIt() {
        try (TestJobStore store = TestJobStore.open(state)) {
            JobRecorder jobs = store.recorder();
            JobLookup lookup = store.lookup();
            jobs.admit(job("a", false), "http", new BrokerAttempt("req-a", "attempt-a"));
            JobRecord first = lookup.find("a").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, first.status());
            assertEquals("offgrid", first.method());
            assertEquals("req-a", first.reqId());
            assertEquals("attempt-a", first.attemptId());
            assertEquals(1, first.attempts());

            jobs.finish("a", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            Admitted again = jobs.admit(job("a", false), "http", new BrokerAttempt("req-b", "attempt-b"));
            assertEquals(Admission.RETRY, again.admission());
            assertNull(again.resumeAttemptId(), "a failed job is a new attempt");
            JobRecord second = lookup.find("a").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, second.status());
            assertEquals("attempt-b", second.attemptId());
            assertEquals("req-b", second.reqId());
            assertNull(second.reason(), "the old failure is no reason of the new attempt");
            assertEquals(2, second.attempts());

            jobs.admit(job("q", false), "inbox", null);
            JobRecord forQueue = lookup.find("q").orElseThrow();
            assertEquals(JobStatus.PENDING, forQueue.status(), "a job for the file queue waits for its queue file");
            assertNull(forQueue.method());
            assertNull(forQueue.attemptId());

            jobs.finish("a", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            jobs.admit(job("a", false), "inbox", null); // the mode is disabled now
            JobRecord third = lookup.find("a").orElseThrow();
            assertEquals(JobStatus.PENDING, third.status());
            assertNull(third.attemptId(), "attempt-b is over: a crash now must not resume it");
            assertNull(third.method());
        }
    }

    @Test
    void theCountsPerStatusFollowEveryWriteAndAreCountedAgainAtOpen() {
        try (TestJobStore store = TestJobStore.open(state)) {
            JobRecorder jobs = store.recorder();
            jobs.admit(job("a", false), "http", new BrokerAttempt("req-a", "attempt-a"));
            jobs.admit(job("b", false), "http", null);
            jobs.admit(job("c", false), "http", null);
            assertEquals(counts(2, 1, 0, 0, 0), store.lookup().countsByStatus());
            jobs.finish("a", JobStatus.COMPLETED, "offgrid", null, null);
            jobs.queued("b", "mode_disabled", "webrelay_out/b.job.json");
            jobs.finish("c", JobStatus.FAILED, "offgrid", "no_hosts_available", null);
            assertEquals(counts(0, 0, 1, 1, 1), store.lookup().countsByStatus());

            jobs.admit(job("c", false), "http", null); // failed: dispatched again
            jobs.admit(job("a", false), "http", null); // completed: known, nothing changes
            jobs.finish("nobody", JobStatus.FAILED, "offgrid", "no such job", null);
            assertEquals(counts(1, 0, 1, 0, 1), store.lookup().countsByStatus());
        }
        try (TestJobStore reopened = TestJobStore.open(state)) {
            // c was pending when the store closed: interrupted, so failed
            assertEquals(counts(0, 0, 1, 1, 1), reopened.lookup().countsByStatus());
        }
    }

    private static Map<JobStatus, Long> counts(long pending, long dispatching, long completed, long failed,
                                               long queued) {
        return Map.of(JobStatus.PENDING, pending, JobStatus.DISPATCHING, dispatching,
                JobStatus.COMPLETED, completed, JobStatus.FAILED, failed, JobStatus.QUEUED, queued);
    }

    @Test
    void jobsCutOffByACrashBecomeFailedAndResumeWithTheirAttemptId() {
        try (TestJobStore before = TestJobStore.open(state)) {
            before.recorder().admit(job("mid-flight", false), "inbox", new BrokerAttempt("req-1", "attempt-1"));
            before.recorder().admit(job("never-started", false), "inbox", null);
        } // the process dies: no outcome was recorded

        try (TestJobStore after = TestJobStore.open(state)) {
            JobRecorder jobs = after.recorder();
            JobLookup lookup = after.lookup();
            assertEquals(2, after.interrupted().size());
            JobRecord cut = lookup.find("mid-flight").orElseThrow();
            assertEquals(JobStatus.FAILED, cut.status());
            assertEquals(InterruptedJob.REASON, cut.reason());

            Admitted resumed = jobs.admit(job("mid-flight", false), "inbox", new BrokerAttempt("req-2", "attempt-2"));
            assertEquals(Admission.RETRY, resumed.admission());
            assertEquals("attempt-1", resumed.resumeAttemptId());
            JobRecord resumedRecord = lookup.find("mid-flight").orElseThrow();
            assertEquals(JobStatus.DISPATCHING, resumedRecord.status());
            assertEquals("attempt-1", resumedRecord.attemptId(), "the interrupted attempt is resumed, not a new one");
            assertEquals("req-2", resumedRecord.reqId());
            Admitted fresh = jobs.admit(job("never-started", false), "inbox", new BrokerAttempt("req-3", "attempt-3"));
            assertEquals(Admission.RETRY, fresh.admission());
            assertNull(fresh.resumeAttemptId(), "no attempt was made yet");
            assertEquals("attempt-3", lookup.find("never-started").orElseThrow().attemptId());
        }
    }
}
