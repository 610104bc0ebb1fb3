package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job store's file stays in proportion to the jobs it holds ({@link StoreCompaction}). With it
 * this test's jobs take ~2 KiB each on disk; without it, ~7 KiB each (40 MB), and the file only grows.
 */
class JobStoreFileTest {
    private static final int JOBS = 6_000;
    private static final int WRITERS = 8;
    /** a job's row is ~1.5 KiB here (document, result, indexes); compaction leaves some slack */
    private static final long MAX_BYTES_PER_JOB = 4 * 1024;

    @TempDir
    Path state;

    @Test
    void theFileGrowsWithTheJobsNotWithTheCommits() throws Exception {
        // H2 keeps the chunks of the last 45 s for a power loss; the core keeps that guard. Here it is
        // off, so the test sees in seconds what the core's file does under load after a minute.
        ObjectNode result = Json.mapper().createObjectNode().put("output", "x".repeat(700));
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (TestJobStore store = TestJobStore.open(state, ";RETENTION_TIME=0")) {
            JobRecorder jobs = store.recorder();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = writer; i < JOBS; i += WRITERS) {
                        String id = "job-" + i;
                        ObjectNode doc = Json.mapper().createObjectNode().put("job_id", id).put("kind", "echo");
                        doc.putObject("payload").put("text", "y".repeat(200));
                        jobs.admit(new IncomingJob(id, "echo", doc, false), "http",
                                new JobRecorder.BrokerAttempt("req-" + i, "attempt-" + i));
                        jobs.finish(id, JobStatus.COMPLETED, "offgrid", null, result);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals((long) JOBS, store.lookup().countsByStatus().get(JobStatus.COMPLETED));
            long size = Files.size(JobDatabase.file(state));
            assertTrue(size < JOBS * MAX_BYTES_PER_JOB,
                    "the job store's file is " + size / 1024 + " KiB for " + JOBS + " jobs, "
                            + size / JOBS + " bytes a job");
        } finally {
            writers.shutdownNow();
        }
    }
}
