package com.sheratan.offgrid.core;

import com.sheratan.offgrid.testing.LogCapture;
import static com.sheratan.offgrid.core.CoreTesting.await;
import static com.sheratan.offgrid.core.CoreTesting.deadBrokerUrl;
import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.core.CoreTesting.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.SignatureError;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatch of SPEC sections 3-5 beyond what {@link CoreIntakeTest} covers: retries, restarts, the
 * job store refusing, start-up checks; against a test broker that checks signatures with the project's verifier.
 */
class CoreDispatchTest {
    private static final String ECHO = "{\"job_id\":\"%s\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}";

    @TempDir
    Path home;

    private final Http http = new Http();
    private TestBroker broker;
    private TestRoles roles;

    @BeforeEach
    void start() {
        broker = new TestBroker();
        roles = new TestRoles(home);
    }

    @AfterEach
    void stop() {
        roles.close();
        broker.close();
    }

    private HttpResponse<String> submit(RunningRole core, String jobId) {
        return http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted(jobId));
    }

    private JsonNode job(RunningRole core, String jobId) {
        HttpResponse<String> response = http.get(core.baseUrl() + "/api/jobs/" + jobId);
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private JsonNode queueFile(String jobId) throws IOException {
        return json(Files.readString(home.resolve("webrelay_out").resolve(jobId + ".job.json")));
    }

    @Test
    void offgridFailureIsRetryableBySubmittingTheJobAgain() {
        broker.answering(TestBroker::noHosts);
        RunningRole core = roles.core(settings(broker.url(), "offgrid", "offgrid.core.broker-retries", "0"));
        HttpResponse<String> first = submit(core, "job-again");
        assertEquals(503, first.statusCode(), first.body());
        assertEquals("no_hosts", json(first.body()).path("reason").asText());

        broker.answering(TestBroker::completed);
        HttpResponse<String> second = submit(core, "job-again");
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("completed", job(core, "job-again").path("status").asText());
        assertEquals(2, job(core, "job-again").path("attempts").asInt());
        assertNotEquals(broker.seen().get(0).body().path("job").path("attempt_id").asText(),
                broker.seen().get(1).body().path("job").path("attempt_id").asText());
    }

    @Test
    void brokerBusyIsRetriedWithTheSameAttemptIdThenQueued() throws IOException {
        broker.answering(TestBroker::noHosts);
        RunningRole core = roles.core(settings(broker.url(), "auto", "offgrid.core.broker-retries", "2"));
        HttpResponse<String> response = submit(core, "job-busy");

        assertEquals(202, response.statusCode(), response.body());
        assertEquals("no_hosts", json(response.body()).path("reason").asText());
        assertEquals("no_hosts", queueFile("job-busy").path("reason").asText());
        List<TestBroker.Seen> calls = broker.seen();
        assertEquals(3, calls.size(), "one call and two retries");
        Set<String> attemptIds = calls.stream().map(c -> c.body().path("job").path("attempt_id").asText())
                .collect(Collectors.toSet());
        assertEquals(1, attemptIds.size(), "retries reuse the attempt_id");
        Set<String> nonces = calls.stream().map(c -> c.header(SignedHeaders.NONCE)).collect(Collectors.toSet());
        assertEquals(3, nonces.size(), "every retry is signed afresh");
        assertFalse(nonces.contains(null));
        assertTrue(broker.refused().isEmpty(), "no retry was refused as a replay");
    }

    @Test
    void brokerBusyOnceThenAvailableCompletes() {
        AtomicInteger calls = new AtomicInteger();
        broker.answering(seen -> calls.incrementAndGet() == 1 ? TestBroker.noHosts(seen) : TestBroker.completed(seen));
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        HttpResponse<String> response = submit(core, "job-later");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, broker.seen().size());
    }

    @Test
    void brokerAnswersThatAreNotTheExpectedJsonQueueWithBrokerError() {
        broker.answering(seen -> new TestBroker.Answer(200, "<html>proxy</html>"));
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        HttpResponse<String> response = submit(core, "job-garbage");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("broker_error", json(response.body()).path("reason").asText());
        assertEquals(1, broker.seen().size(), "only a 503 is retried");
    }

    @Test
    void brokerRejectingTheSignatureQueuesWithAuthReasonLogsErrorAndShowsInStatus() {
        try (TestBroker strict = new TestBroker(AuthKeys.parse("another-secret", "", "default"));
             LogCapture log = new LogCapture()) {
            RunningRole core = roles.core(settings(strict.url(), "auto"));
            HttpResponse<String> response = submit(core, "job-auth");

            assertEquals(202, response.statusCode(), response.body());
            assertEquals("broker_auth_rejected", json(response.body()).path("reason").asText());
            assertEquals(List.of(SignatureError.BAD_SIGNATURE), strict.refused(), "a 401 is not retried");
            assertTrue(log.text().lines().anyMatch(line -> line.contains("ERROR") && line.contains("job-auth")
                    && line.contains("rejected the core's signature")), log.text());

            JsonNode status = json(http.get(core.baseUrl() + "/api/status").body());
            assertEquals("auth_rejected", status.path("broker").path("state").asText());
            assertEquals(401, status.path("broker").path("http_status").asInt());
            assertEquals("bad_signature", status.path("broker").path("last_dispatch_auth_rejection").path("error").asText());
        }
    }

    @Test
    void duplicateJobIdIsDispatchedOnce() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        assertEquals(200, submit(core, "job-twice").statusCode());
        HttpResponse<String> again = submit(core, "job-twice");

        assertEquals(200, again.statusCode(), again.body());
        assertEquals("completed", json(again.body()).path("status").asText());
        assertEquals(1, broker.seen().size());
        assertEquals(1, job(core, "job-twice").path("attempts").asInt());
    }

    @Test
    void jobStatusSurvivesARestartOfTheCore() {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        assertEquals(202, submit(core, "job-kept").statusCode());
        roles.stop(core);

        RunningRole restarted = roles.core(settings(broker.url(), "auto"));
        JsonNode stored = job(restarted, "job-kept");
        assertEquals("queued", stored.path("status").asText());
        assertEquals("mode_disabled", stored.path("reason").asText());
        HttpResponse<String> again = submit(restarted, "job-kept");
        assertEquals(202, again.statusCode(), "a known job is answered as it stands");
        assertTrue(broker.seen().isEmpty());
    }

    @Test
    void theJobStoresWriterAndDatabaseStartAndStopWithTheCoresCamelContext() {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        GroupCommit writer = core.camelContext().hasService(GroupCommit.class);
        JobDatabase database = core.camelContext().hasService(JobDatabase.class);
        assertTrue(writer != null && writer.isStarted(), "the store's writer is a started service of the core's context");
        assertTrue(database != null && database.isStarted());
        assertEquals(202, submit(core, "job-written").statusCode());
        assertEquals("queued", job(core, "job-written").path("status").asText());

        roles.stop(core);
        assertTrue(writer.isStopped(), "stopping the core stops the store's writer");
        assertTrue(database.isStopped(), "and closes its database");
    }

    @Test
    void anInboxJobCutOffByACrashResumesWithItsAttemptIdAfterRestart() throws IOException {
        // the state a SIGKILL leaves: the job recorded and sent to the broker, its inbox file not yet moved
        String document;
        try (TestJobStore crashed = storeBeforeTheCrash()) {
            document = admitted(crashed, "job-cut", false, "inbox", new JobRecorder.BrokerAttempt("req-before",
                    "attempt-before"));
        }
        Files.createDirectories(home.resolve("inbox"));
        Files.writeString(home.resolve("inbox/cut.json"), document);

        RunningRole core = roles.core(settings(broker.url(), "auto"));
        await(Duration.ofSeconds(10), "interrupted job completed",
                () -> job(core, "job-cut").path("status").asText().equals("completed"));
        assertEquals(1, broker.seen().size());
        assertEquals("attempt-before", broker.seen().get(0).body().path("job").path("attempt_id").asText(),
                "the host sees the same attempt and runs it once");
        // the file moves once its exchange is done, a moment after the job's outcome is recorded
        await(Duration.ofSeconds(10), "inbox file moved to .done",
                () -> Files.exists(home.resolve("inbox/.done/cut.json")));
    }

    @Test
    void aJobQueuedJustBeforeACrashIsQueuedAfterRestartAndNotQueuedTwice() throws IOException {
        // the state a SIGKILL between the queue file's fsync and the job store's commit leaves
        String document;
        try (TestJobStore crashed = storeBeforeTheCrash()) {
            document = admitted(crashed, "job-q", false, "inbox");
            // and a job whose queue file is of an earlier attempt: queued, replayed (attempt 2), then cut off
            admitted(crashed, "job-old", false, "http");
            crashed.recorder().queued("job-old", "mode_disabled", "webrelay_out/job-old.job.json");
            admitted(crashed, "job-old", true, "inbox");
        }
        Path queue = home.resolve("webrelay_out");
        AtomicFile.write(queue.resolve("job-q.job.json"),
                "{\"job_id\":\"job-q\",\"reason\":\"mode_disabled\",\"attempts\":1}".getBytes(StandardCharsets.UTF_8),
                AtomicFile.Sync.DURABLE);
        AtomicFile.write(queue.resolve("job-old.job.json"),
                "{\"job_id\":\"job-old\",\"reason\":\"mode_disabled\",\"attempts\":1}".getBytes(StandardCharsets.UTF_8),
                AtomicFile.Sync.DURABLE);
        Files.createDirectories(home.resolve("inbox"));
        Files.writeString(home.resolve("inbox/q.json"), document);

        RunningRole core = roles.core(settings(broker.url(), "disabled"));

        JsonNode queued = job(core, "job-q");
        assertEquals("queued", queued.path("status").asText(), queued.toString());
        assertEquals("webrelay_out/job-q.job.json", queued.path("job_file").asText());
        assertEquals("mode_disabled", queued.path("reason").asText());
        JsonNode cut = job(core, "job-old");
        assertEquals("failed", cut.path("status").asText(), "a queue file of an earlier attempt is no proof: " + cut);
        assertEquals(InterruptedJob.REASON, cut.path("reason").asText());
        await(Duration.ofSeconds(10), "inbox file read again", () -> Files.exists(home.resolve("inbox/.done/q.json")));
        assertEquals(1, json(Files.readString(queue.resolve("job-q.job.json"))).path("attempts").asInt(),
                "the job was not queued a second time");
        assertEquals(1, job(core, "job-q").path("attempts").asInt());
    }

    /** The core's job store in this test's home, opened as a core that is about to be killed would have it. */
    private TestJobStore storeBeforeTheCrash() {
        return TestJobStore.open(home.resolve("state/core"));
    }

    /** An echo job recorded as the intake records it for the file queue; its document back. */
    private static String admitted(TestJobStore store, String jobId, boolean replay, String source) {
        return admitted(store, jobId, replay, source, null);
    }

    /** The same, recorded {@code dispatching} with {@code broker}'s ids when that is not null. */
    private static String admitted(TestJobStore store, String jobId, boolean replay, String source,
                                   JobRecorder.BrokerAttempt broker) {
        String document = ECHO.formatted(jobId);
        store.recorder().admit(new IncomingJob(jobId, "echo", (com.fasterxml.jackson.databind.node.ObjectNode) json(document),
                replay), source, broker);
        return document;
    }

    @Test
    void aQueuedFileMovedIntoTheInboxIsReplayed() throws IOException {
        broker.answering(TestBroker::noHosts);
        RunningRole core = roles.core(settings(broker.url(), "auto", "offgrid.core.broker-retries", "0"));
        HttpResponse<String> queued = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"job-replay\",\"kind\":\"write_file\",\"mission_id\":\"m-7\","
                        + "\"payload\":{\"path\":\"notes/a.txt\",\"content\":\"hi\"},\"constraints\":{\"max_latency_ms\":900}}");
        assertEquals(202, queued.statusCode(), queued.body());
        assertEquals("core_v2_m-7", queueFile("job-replay").path("session_id").asText());

        broker.answering(TestBroker::completed);
        Files.move(home.resolve("webrelay_out/job-replay.job.json"), home.resolve("inbox/job-replay.job.json"));
        await(Duration.ofSeconds(10), "replayed job completed",
                () -> job(core, "job-replay").path("status").asText().equals("completed"));
        await(Duration.ofSeconds(10), "replayed file moved to .done",
                () -> Files.exists(home.resolve("inbox/.done/job-replay.job.json")));
        assertEquals(2, job(core, "job-replay").path("attempts").asInt());

        JsonNode replayed = broker.seen().get(1).body();
        assertEquals("write_file", replayed.path("job").path("kind").asText());
        assertEquals("notes/a.txt", replayed.path("job").path("args").path("path").asText());
        assertEquals("aGk=", replayed.path("job").path("args").path("content_b64").asText());
        assertEquals(900, replayed.path("latency_ms").asInt());
        assertEquals("m-7", replayed.path("meta").path("mission_id").asText());
    }

    @Test
    void aReplayedJobQueuedAgainSaysItsSecondAttemptInTheQueueFile() throws IOException {
        broker.answering(TestBroker::noHosts);
        RunningRole core = roles.core(settings(broker.url(), "auto", "offgrid.core.broker-retries", "0"));
        HttpResponse<String> queued = http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted("job-twice-queued"));
        assertEquals(202, queued.statusCode(), queued.body());
        assertEquals(1, queueFile("job-twice-queued").path("attempts").asInt());

        Files.move(home.resolve("webrelay_out/job-twice-queued.job.json"), home.resolve("inbox/job-twice-queued.json"));
        await(Duration.ofSeconds(10), "replayed file done",
                () -> Files.exists(home.resolve("inbox/.done/job-twice-queued.json")));
        assertEquals(2, queueFile("job-twice-queued").path("attempts").asInt());
        assertEquals(2, job(core, "job-twice-queued").path("attempts").asInt());
    }

    @Test
    void aResultFromTheLocalWorkerCompletesTheQueuedJob() throws IOException {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        assertEquals(202, submit(core, "job-w1").statusCode());
        assertEquals(202, submit(core, "job-w2").statusCode());
        Path results = home.resolve("webrelay_in");
        Files.writeString(results.resolve("job-w1.result.json"), "{\"ok\":true,\"action\":\"text_result\",\"text\":\"done\"}");
        Files.writeString(results.resolve("job-w2.result.json"), "{\"ok\":false,\"error\":\"worker gave up\"}");
        Files.writeString(results.resolve("nobody.result.json"), "{\"ok\":true}");

        await(Duration.ofSeconds(10), "results read", () -> job(core, "job-w2").path("status").asText().equals("failed")
                && job(core, "job-w1").path("status").asText().equals("completed"));
        assertEquals("done", job(core, "job-w1").path("result").path("text").asText());
        assertEquals("worker gave up", job(core, "job-w2").path("reason").asText());
        await(Duration.ofSeconds(10), "files moved aside", () -> Files.exists(results.resolve(".done/job-w1.result.json"))
                && Files.exists(results.resolve(".error/nobody.result.json.reason.txt")));
    }

    @Test
    void aWorkerErrorLongerThanTheReasonColumnStillFailsTheJobWithItsStart() throws IOException {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        assertEquals(202, submit(core, "job-long-error").statusCode());
        String error = "worker stack trace " + "x".repeat(5_000);
        Path results = home.resolve("webrelay_in");
        Files.writeString(results.resolve("job-long-error.result.json"), "{\"ok\":false,\"error\":\"" + error + "\"}");

        await(Duration.ofSeconds(10), "long error recorded",
                () -> job(core, "job-long-error").path("status").asText().equals("failed"));
        String reason = job(core, "job-long-error").path("reason").asText();
        assertTrue(reason.startsWith("worker stack trace xxx"), reason);
        assertTrue(reason.length() <= 2000, "reason fits the column: " + reason.length());
        assertEquals(error, job(core, "job-long-error").path("result").path("error").asText(), "the whole error is kept");
        await(Duration.ofSeconds(10), "result file moved aside",
                () -> Files.exists(results.resolve(".done/job-long-error.result.json")));
    }

    @Test
    void statusShowsModeBrokerKeyIdProbeAndCountsButNeverTheSecret() {
        RunningRole core = roles.core(settings(broker.url(), "disabled", "offgrid.auth-key", "a-real-secret-value"));
        try (TestBroker keyed = new TestBroker(AuthKeys.parse("a-real-secret-value", "", "default"))) {
            // the broker of this test is the keyed one: restart the core against it
            roles.stop(core);
            core = roles.core(settings(keyed.url(), "disabled", "offgrid.auth-key", "a-real-secret-value"));
            assertEquals(202, submit(core, "job-s1").statusCode());
            assertEquals(202, submit(core, "job-s2").statusCode());
            HttpResponse<String> response = http.get(core.baseUrl() + "/api/status");
            assertEquals(200, response.statusCode());
            JsonNode status = json(response.body());
            assertEquals("disabled", status.path("mode").asText());
            assertEquals(keyed.url(), status.path("broker_url").asText());
            assertEquals("default", status.path("key_id").asText());
            assertEquals("ok", status.path("broker").path("state").asText());
            assertEquals(2, status.path("jobs").path("queued").asInt());
            assertEquals(0, status.path("jobs").path("completed").asInt());
            assertFalse(response.body().contains("a-real-secret-value"));
        }
        roles.close();
        HttpResponse<String> none;
        try (TestRoles again = new TestRoles(home)) {
            RunningRole down = again.core(settings(deadBrokerUrl(), "auto"));
            none = http.get(down.baseUrl() + "/api/status");
        }
        assertEquals("unreachable", json(none.body()).path("broker").path("state").asText());
    }

    @Test
    void startUpLogsModeBrokerAndKeyIdButNeverTheSecret() {
        try (LogCapture log = new LogCapture()) {
            roles.core(settings(broker.url(), "offgrid", "offgrid.auth-keys", "k1:top-secret-1,k2:top-secret-2",
                    "offgrid.auth-key-id", "k2"));
            String text = log.text();
            assertTrue(text.lines().anyMatch(line -> line.contains("OFFGRID_MODE=offgrid") && line.contains(broker.url())
                    && line.contains("key id=k2")), text);
            assertFalse(text.contains("top-secret"), text);
        }
    }

    @Test
    void aHostsOwnFailurePassedThroughByTheBrokerEndsTheJobFailed() {
        broker.answering(seen -> new TestBroker.Answer(200, "{\"status\":\"completed\",\"ok\":false,"
                + "\"host\":\"http://127.0.0.1:8081\",\"node_id\":\"host-a\",\"error_code\":\"INVALID_ARGS\","
                + "\"error\":\"path escapes the data folder\",\"result\":{\"ok\":false,\"error_code\":\"INVALID_ARGS\"}}"));
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        HttpResponse<String> response = submit(core, "job-refused");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("failed", answer.path("status").asText());
        assertFalse(answer.path("result").path("ok").asBoolean(true), "ok stays false");
        JsonNode stored = job(core, "job-refused");
        assertEquals("failed", stored.path("status").asText());
        assertEquals("INVALID_ARGS: path escapes the data folder", stored.path("reason").asText());
        assertFalse(Files.exists(home.resolve("webrelay_out/job-refused.job.json")), "the job itself failed: not queued");
    }

    @Test
    void aJobTheStoreCannotRecordGetsAJson500WithTheReasonAndNoEchoedHeaders() throws SQLException {
        try (LogCapture log = new LogCapture()) {
            RunningRole core = roles.core(settings(broker.url(), "auto"));
            jobStoreRefuses("job-unrecorded", "dispatching"); // auto: admitted as dispatching, one write
            HttpResponse<String> response = http.post(core.baseUrl() + "/api/jobs",
                    ECHO.formatted("job-unrecorded").getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/json", "X-Caller-Note", "not for the answer"));

            assertEquals(500, response.statusCode(), response.body());
            JsonNode answer = json(response.body());
            assertEquals("core_error", answer.path("error").asText(), response.body());
            assertTrue(answer.path("detail").asText().contains("record job job-unrecorded"), response.body());
            assertTrue(response.headers().firstValue("X-Caller-Note").isEmpty(), "request headers are not echoed");
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(broker.seen().isEmpty(), "nothing was dispatched");
            assertFalse(Files.exists(home.resolve("webrelay_out/job-unrecorded.job.json")),
                    "a job store failure is no broker failure: not queued");
            assertEquals(404, http.get(core.baseUrl() + "/api/jobs/job-unrecorded").statusCode(), "nothing recorded");
            assertTrue(log.text().lines().anyMatch(line -> line.contains("ERROR") && line.contains("job-unrecorded")),
                    log.text());
        }
    }

    /**
     * The core's job store (H2, opened in this JVM by the running core) refuses from now on to give this
     * job that status; every other write still works, as with a store that fails at the one write that matters.
     */
    private void jobStoreRefuses(String jobId, String status) throws SQLException {
        jobStore("ALTER TABLE jobs ADD CONSTRAINT test_refuses_" + status
                + " CHECK (job_id <> '" + jobId + "' OR status <> '" + status + "')");
    }

    /** Takes back {@link #jobStoreRefuses} for that status. */
    private void jobStoreAcceptsAgain(String status) throws SQLException {
        jobStore("ALTER TABLE jobs DROP CONSTRAINT test_refuses_" + status);
    }

    private void jobStore(String sql) throws SQLException {
        String url = JobDatabase.url(home.resolve("state/core"));
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aResultTheJobStoreCannotRecordIsNotQueuedForASecondRunNorLost() throws SQLException {
        try (LogCapture log = new LogCapture()) {
            RunningRole core = roles.core(settings(broker.url(), "auto"));
            jobStoreRefuses("job-unrecorded", "completed");
            HttpResponse<String> response = submit(core, "job-unrecorded");

            assertEquals(1, broker.seen().size(), "the mesh ran the job once");
            assertFalse(Files.exists(home.resolve("webrelay_out/job-unrecorded.job.json")),
                    "a job the mesh already ran is not queued for the local worker");
            assertEquals(500, response.statusCode(), response.body());
            JsonNode answer = json(response.body());
            assertEquals("result_not_recorded", answer.path("reason").asText(), response.body());
            assertEquals("hello", answer.path("result").path("text").asText(), "the caller still gets the result");

            JsonNode stored = job(core, "job-unrecorded");
            assertEquals("failed", stored.path("status").asText(), stored.toString());
            assertTrue(stored.path("reason").asText().startsWith("result_not_recorded: "), stored.toString());
            assertTrue(stored.path("reason").asText().contains("completed by host-a"), stored.toString());
            assertEquals("hello", stored.path("result").path("text").asText(), stored.toString());
            assertTrue(log.text().lines().anyMatch(line -> line.contains("ERROR") && line.contains("job-unrecorded")
                    && line.contains("not queued")), log.text());
        }
    }

    @Test
    void aQueuedJobTheJobStoreCannotRecordIsAnsweredQueuedAndRecordedAtTheNextStart() throws SQLException {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        jobStoreRefuses("job-queue-unrecorded", "queued");
        HttpResponse<String> response = submit(core, "job-queue-unrecorded");

        assertEquals(202, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("queued", answer.path("status").asText(), response.body());
        assertEquals("webrelay_out/job-queue-unrecorded.job.json", answer.path("job_file").asText());
        assertTrue(answer.path("warning").asText().startsWith("queued, but the job store could not record it"),
                response.body());
        assertTrue(Files.exists(home.resolve("webrelay_out/job-queue-unrecorded.job.json")));
        assertEquals("pending", job(core, "job-queue-unrecorded").path("status").asText());

        jobStoreAcceptsAgain("queued");
        roles.stop(core);
        RunningRole restarted = roles.core(settings(broker.url(), "disabled"));
        JsonNode stored = job(restarted, "job-queue-unrecorded");
        assertEquals("queued", stored.path("status").asText(), stored.toString());
        assertEquals("mode_disabled", stored.path("reason").asText(), stored.toString());
        assertEquals(1, stored.path("attempts").asInt(), stored.toString());
    }

    @Test
    void aJobForTheFileQueueTheStoreCannotRecordIsNotQueued() throws SQLException {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        jobStoreRefuses("job-unqueued", "pending"); // disabled: admitted as pending until its queue file is written
        HttpResponse<String> response = submit(core, "job-unqueued");

        assertEquals(500, response.statusCode(), response.body());
        assertEquals("core_error", json(response.body()).path("error").asText(), response.body());
        assertFalse(Files.exists(home.resolve("webrelay_out/job-unqueued.job.json")), "not queued unrecorded");
        assertEquals(404, http.get(core.baseUrl() + "/api/jobs/job-unqueued").statusCode(), "nothing recorded");
    }

    @Test
    void anInboxFileWhoseJobTheStoreCannotRecordStaysAndIsTriedAgain() throws Exception {
        try (LogCapture log = new LogCapture()) {
            RunningRole core = roles.core(settings(broker.url(), "auto"));
            jobStoreRefuses("job-inbox-unrecorded", "dispatching");
            Path inbox = home.resolve("inbox");
            Files.writeString(inbox.resolve("unrecorded.json"), ECHO.formatted("job-inbox-unrecorded"));

            await(Duration.ofSeconds(10), "the store's refusal was logged", () -> log.text().lines()
                    .anyMatch(line -> line.contains("ERROR") && line.contains("record job job-inbox-unrecorded")));
            assertTrue(Files.exists(inbox.resolve("unrecorded.json")), "the file stays in the inbox");
            assertFalse(Files.exists(inbox.resolve(".done/unrecorded.json")));
            assertTrue(broker.seen().isEmpty(), "not sent to the broker");
            assertEquals(404, http.get(core.baseUrl() + "/api/jobs/job-inbox-unrecorded").statusCode());

            jobStoreAcceptsAgain("dispatching");
            await(Duration.ofSeconds(10), "the next scan ran it",
                    () -> Files.exists(inbox.resolve(".done/unrecorded.json")));
            assertEquals("completed", job(core, "job-inbox-unrecorded").path("status").asText());
            assertEquals(1, broker.seen().size());
        }
    }

    @Test
    void aBrokerUrlThatIsNoBaseUrlStopsStartUp() {
        RoleStartException e = assertThrows(RoleStartException.class,
                () -> roles.core(settings(broker.url() + "/", "auto")));
        assertTrue(e.getMessage().contains("without a trailing '/'"), e.getMessage());
    }

    @Test
    void aCoreTimeoutBelowTheBrokersWorstCaseAuctionIsWarnedAbout() {
        try (LogCapture log = new LogCapture()) {
            roles.core(settings(broker.url(), "auto", "offgrid.broker.quote-timeout-ms", "2000",
                    "offgrid.broker.run-timeout-ms", "30000", "offgrid.broker.redundancy", "2",
                    "offgrid.core.broker-timeout-ms", "30000"));
            assertTrue(log.text().lines().anyMatch(l -> l.contains("WARN")
                    && l.contains("does not exceed the broker's worst-case auction of 62000 ms")), log.text());
        }
    }

    @Test
    void anInvalidModeStopsStartUpNamingTheValidValues() {
        RoleStartException e = assertThrows(RoleStartException.class,
                () -> roles.core(settings(broker.url(), "sometimes")));
        assertTrue(e.getMessage().contains("auto|offgrid|disabled"), e.getMessage());
        assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
    }

    @Test
    void everyDispatchDecisionIsLoggedWithItsReason() {
        try (LogCapture log = new LogCapture()) {
            RunningRole core = roles.core(settings(deadBrokerUrl(), "auto"));
            submit(core, "job-logged");
            String text = log.text();
            assertTrue(text.lines().anyMatch(l -> l.contains("job job-logged -> broker") && l.contains("OFFGRID_MODE=auto")), text);
            assertTrue(text.lines().anyMatch(l -> l.contains("job job-logged -> file queue")
                    && l.contains("broker_unreachable")), text);
        }
    }

    @Test
    void jobListIsNewestFirstAndPaged() {
        RunningRole core = roles.core(settings(broker.url(), "disabled"));
        for (int i = 1; i <= 5; i++) {
            assertEquals(202, submit(core, "job-p" + i).statusCode());
        }
        JsonNode first = json(http.get(core.baseUrl() + "/api/jobs?limit=2").body());
        assertEquals("job-p5", first.path("jobs").get(0).path("job_id").asText());
        assertEquals("job-p4", first.path("jobs").get(1).path("job_id").asText());
        assertEquals(2, first.path("next_offset").asInt());
        JsonNode last = json(http.get(core.baseUrl() + "/api/jobs?limit=2&offset=4").body());
        assertEquals(1, last.path("jobs").size());
        assertEquals("job-p1", last.path("jobs").get(0).path("job_id").asText());
        assertTrue(last.path("next_offset").isNull());
        assertEquals(404, http.get(core.baseUrl() + "/api/jobs/no-such-job").statusCode());
        assertEquals(400, http.get(core.baseUrl() + "/api/jobs?limit=zero").statusCode());
    }
}
