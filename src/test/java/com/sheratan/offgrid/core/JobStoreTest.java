package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.nio.file.Path;
import java.time.Clock;
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

    @Test
    void aKnownJobIsDispatchedAgainOnlyWhenFailedOrAQueuedOneIsReplayed() {
        JobStore store = new JobStore(state, Clock.systemUTC());
        try {
            assertEquals(JobStore.Admission.NEW, store.admit(job("a", false), "http").admission());
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("a", false), "http").admission(), "pending");
            store.finish("a", JobStore.COMPLETED, "offgrid", null, null);
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("a", true), "inbox").admission(), "completed");

            store.admit(job("b", false), "http");
            store.finish("b", JobStore.FAILED, "offgrid", "no_hosts", null);
            JobStore.Admitted retried = store.admit(job("b", false), "http");
            assertEquals(JobStore.Admission.RETRY, retried.admission());
            assertNull(retried.resumeAttemptId(), "a failed job gets a new attempt");
            assertEquals(2, store.find("b").orElseThrow().attempts());

            store.admit(job("c", false), "http");
            store.queued("c", "broker_unreachable", "webrelay_out/c.job.json");
            assertEquals(JobStore.Admission.KNOWN, store.admit(job("c", false), "http").admission());
            assertEquals(JobStore.Admission.RETRY, store.admit(job("c", true), "inbox").admission());
        } finally {
            store.stop();
        }
    }

    @Test
    void theCountsPerStatusFollowEveryWriteAndAreCountedAgainAtOpen() {
        JobStore store = new JobStore(state, Clock.systemUTC());
        try {
            store.admit(job("a", false), "http");
            store.admit(job("b", false), "http");
            store.admit(job("c", false), "http");
            assertEquals(counts(3, 0, 0, 0, 0), store.countsByStatus());
            store.dispatching("a", "req-a", "attempt-a");
            assertEquals(counts(2, 1, 0, 0, 0), store.countsByStatus());
            store.finish("a", JobStore.COMPLETED, "offgrid", null, null);
            store.queued("b", "mode_disabled", "webrelay_out/b.job.json");
            store.finish("c", JobStore.FAILED, "offgrid", "no_hosts_available", null);
            assertEquals(counts(0, 0, 1, 1, 1), store.countsByStatus());

            store.admit(job("c", false), "http"); // failed: dispatched again
            store.admit(job("a", false), "http"); // completed: known, nothing changes
            store.finish("nobody", JobStore.FAILED, "offgrid", "no such job", null);
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

    private static java.util.Map<String, Long> counts(long pending, long dispatching, long completed, long failed,
                                                      long queued) {
        return java.util.Map.of(JobStore.PENDING, pending, JobStore.DISPATCHING, dispatching,
                JobStore.COMPLETED, completed, JobStore.FAILED, failed, JobStore.QUEUED, queued);
    }

    @Test
    void jobsCutOffByACrashBecomeFailedAndResumeWithTheirAttemptId() {
        JobStore before = new JobStore(state, Clock.systemUTC());
        before.admit(job("mid-flight", false), "inbox");
        before.dispatching("mid-flight", "req-1", "attempt-1");
        before.admit(job("never-started", false), "inbox");
        before.stop(); // the process dies: no outcome was recorded

        JobStore after = new JobStore(state, Clock.systemUTC());
        try {
            assertEquals(2, after.interruptedAtStart());
            JobRecord cut = after.find("mid-flight").orElseThrow();
            assertEquals(JobStore.FAILED, cut.status());
            assertEquals(JobStore.INTERRUPTED, cut.reason());

            JobStore.Admitted resumed = after.admit(job("mid-flight", false), "inbox");
            assertEquals(JobStore.Admission.RETRY, resumed.admission());
            assertEquals("attempt-1", resumed.resumeAttemptId());
            JobStore.Admitted fresh = after.admit(job("never-started", false), "inbox");
            assertEquals(JobStore.Admission.RETRY, fresh.admission());
            assertNull(fresh.resumeAttemptId(), "no attempt was made yet");
        } finally {
            after.stop();
        }
    }
}
