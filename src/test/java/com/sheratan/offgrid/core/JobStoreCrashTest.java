package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job the store has recorded survives a SIGKILL of the process right after: the core answers and
 * moves inbox files aside only after recording, so a commit must not wait in memory. Jobs recorded
 * after the restart list as newer than those before it.
 */
class JobStoreCrashTest {
    @TempDir
    Path state;

    /** The child process: records jobs, says so, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        JobRecorder jobs = TestJobStore.open(Path.of(args[0])).recorder(); // never closed: the process is killed
        for (int i = 0; i < 50; i++) {
            String id = "killed-" + i;
            ObjectNode doc = Json.mapper().createObjectNode().put("job_id", id).put("kind", "echo");
            jobs.admit(new IncomingJob(id, "echo", doc, false), "inbox", new JobRecorder.BrokerAttempt("req-" + i, "attempt-" + i));
            jobs.finish(id, JobStatus.COMPLETED, "offgrid", null, null);
        }
        System.out.println("recorded");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void recordedJobsSurviveAKillOfTheProcess() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                JobStoreCrashTest.class.getName(), state.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("recorded")) {
                // skip the child's log lines
            }
            assertEquals("recorded", line == null ? null : line.strip());
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the store
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        try (TestJobStore after = TestJobStore.open(state)) {
            for (int i = 0; i < 50; i++) {
                assertEquals(JobStatus.COMPLETED, after.lookup().find("killed-" + i).orElseThrow(
                        () -> new AssertionError("a recorded job was lost in the kill")).status());
            }
            // the kill left the job ordering's sequence wherever its block ended: a job recorded now
            // still lists as the newest, before the ones recorded before the kill, in their order
            ObjectNode doc = Json.mapper().createObjectNode().put("job_id", "after-kill").put("kind", "echo");
            after.recorder().admit(new IncomingJob("after-kill", "echo", doc, false), "http", null);
            assertEquals(List.of("after-kill", "killed-49", "killed-48"),
                    after.lookup().page(3, 0).stream().map(JobRecord::jobId).toList());
        }
    }
}
