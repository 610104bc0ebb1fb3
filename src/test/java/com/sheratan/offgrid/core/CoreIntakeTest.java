package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.await;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.RoleSettings;
import com.sheratan.offgrid.testing.RoleTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job comes in by HTTP or the inbox and goes where OFFGRID_MODE sends it (SPEC sections 3-5): the
 * real core, booted by Camel's test kit, against a test broker that checks signatures with the
 * project's verifier. The class runs in {@code auto} mode; a test names another with {@link RoleSettings}.
 */
class CoreIntakeTest extends RoleTest {
    private static final String ECHO = "{\"job_id\":\"%s\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}";

    private final TestBroker broker = new TestBroker();

    @Override
    protected Role role() {
        return Role.CORE;
    }

    @Override
    protected Map<String, String> settings() {
        return CoreTesting.settings(broker.url(), "auto");
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private HttpResponse<String> submit(String jobId) {
        return http.postJson(url("/api/jobs"), ECHO.formatted(jobId));
    }

    private JsonNode job(String jobId) {
        HttpResponse<String> response = http.get(url("/api/jobs/" + jobId));
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private JsonNode queueFile(String jobId) throws IOException {
        return json(Files.readString(home.resolve("webrelay_out").resolve(jobId + ".job.json")));
    }

    @Test
    void autoModeCompletesTheJobThroughTheSignedBrokerCall() {
        HttpResponse<String> response = submit("job-ok");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("offgrid", answer.path("method").asText());
        assertEquals("completed", answer.path("status").asText());
        assertEquals("host-a", answer.path("node_id").asText());
        assertEquals("text_result", answer.path("result").path("action").asText());
        assertEquals("hello", answer.path("result").path("text").asText());
        assertEquals("echoed", answer.path("result").path("host_result").path("output").asText());
        assertEquals("host-a", answer.path("result").path("offgrid_receipt").path("node_id").asText());

        assertEquals(1, broker.seen().size());
        TestBroker.Seen request = broker.seen().get(0);
        JsonNode body = request.body();
        assertEquals("job-ok", body.path("job_id").asText());
        assertEquals("compute", body.path("type").asText());
        assertEquals(body.path("req_id").asText(), request.header("X-Request-Id"));
        JsonNode spec = body.path("job");
        assertTrue(ClaimToken.verify(AuthKeys.parse("shared-secret", "", "default"), "job-ok",
                spec.path("attempt_id").asText(), spec.path("deadline_ts").asLong(), spec.path("claim_token").asText()));
        assertTrue(broker.refused().isEmpty());

        JsonNode stored = job("job-ok");
        assertEquals("completed", stored.path("status").asText());
        assertEquals(1, stored.path("attempts").asInt());
        assertEquals(body.path("req_id").asText(), stored.path("req_id").asText());
    }

    @Test
    void autoModeQueuesTheJobWithReasonWhenTheBrokerIsDown() throws IOException {
        broker.close(); // the broker is down
        HttpResponse<String> response = submit("job-down");

        assertEquals(202, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("file_queue", answer.path("method").asText());
        assertEquals("queued", answer.path("status").asText());
        assertEquals("webrelay_out/job-down.job.json", answer.path("job_file").asText());
        assertEquals("broker_unreachable", answer.path("reason").asText());

        JsonNode queued = queueFile("job-down");
        assertEquals("job-down", queued.path("job_id").asText());
        assertEquals("echo", queued.path("kind").asText());
        assertEquals("core_v2_none", queued.path("session_id").asText());
        assertEquals("broker_unreachable", queued.path("reason").asText());
        assertEquals(1, queued.path("attempts").asInt());
        assertEquals("lcp", queued.path("payload").path("response_format").asText());
        assertEquals("hello", queued.path("payload").path("params").path("text").asText());
        assertEquals("job-down", queued.path("offgrid_request").path("job").path("job_id").asText());
        assertFalse(queued.path("offgrid_request").path("job").has("claim_token"));
        assertTrue(Files.list(home.resolve("webrelay_out")).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));

        JsonNode stored = job("job-down");
        assertEquals("queued", stored.path("status").asText());
        assertEquals("file_queue", stored.path("method").asText());
        assertEquals("broker_unreachable", stored.path("reason").asText());
    }

    @Test
    @RoleSettings("offgrid.mode=disabled")
    void disabledModeQueuesWithoutAskingTheBroker() throws IOException {
        HttpResponse<String> response = submit("job-off");

        assertEquals(202, response.statusCode(), response.body());
        assertEquals("mode_disabled", json(response.body()).path("reason").asText());
        assertEquals("mode_disabled", queueFile("job-off").path("reason").asText());
        assertTrue(broker.seen().isEmpty());
    }

    @Test
    @RoleSettings("offgrid.mode=offgrid")
    void offgridModeCompletesThroughTheBroker() {
        HttpResponse<String> response = submit("job-mesh");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("completed", json(response.body()).path("status").asText());
    }

    @Test
    @RoleSettings("offgrid.mode=offgrid")
    void offgridModeWithTheBrokerDownFailsAndDoesNotQueue() {
        broker.close(); // the broker is down
        HttpResponse<String> response = submit("job-lost");

        assertEquals(503, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("failed", answer.path("status").asText());
        assertEquals("broker_unreachable", answer.path("reason").asText());
        assertFalse(Files.exists(home.resolve("webrelay_out/job-lost.job.json")));
        JsonNode stored = job("job-lost");
        assertEquals("failed", stored.path("status").asText());
        assertEquals("broker_unreachable", stored.path("reason").asText());
    }

    @Test
    void inboxJobIsDispatchedAndItsFileMovedToDone() throws IOException {
        Path inbox = home.resolve("inbox");
        NotifyBuilder taken = whenDone("inbox-intake", 1);
        Files.writeString(inbox.resolve("drop.json"), ECHO.formatted("job-dropped"));

        assertTrue(taken.matches(10, TimeUnit.SECONDS), "the inbox file was never taken");
        await(Duration.ofSeconds(10), "inbox file moved to .done", () -> Files.exists(inbox.resolve(".done/drop.json")));
        assertFalse(Files.exists(inbox.resolve("drop.json")));
        assertEquals("completed", job("job-dropped").path("status").asText());
        assertEquals("inbox", job("job-dropped").path("source").asText());
    }

    /**
     * The core deletes .camelLock markers left from before on its first scan of the inbox: one job
     * dropped and done shows that scan is over. Returns the inbox.
     */
    private Path firstInboxScanDone() throws IOException {
        Path inbox = home.resolve("inbox");
        Files.writeString(inbox.resolve("first.json"), ECHO.formatted("job-first-scan"));
        await(Duration.ofSeconds(10), "first scan done", () -> Files.exists(inbox.resolve(".done/first.json")));
        return inbox;
    }

    @Test
    @RoleSettings({"offgrid.mode=disabled", "offgrid.core.inbox-lock-files=true"})
    void withInboxLockFilesAFileAnotherProcessHoldsIsLeftToIt() throws IOException {
        Path inbox = firstInboxScanDone();
        Files.writeString(inbox.resolve("held.json.camelLock"), "another reader has it");
        Files.writeString(inbox.resolve("held.json"), ECHO.formatted("job-held"));

        // a file dropped after the held one is taken and done: the scans that took it saw the held one, older, and left it
        NotifyBuilder later = whenDone("inbox-intake", 1);
        Files.writeString(inbox.resolve("later.json"), ECHO.formatted("job-later"));
        assertTrue(later.matches(10, TimeUnit.SECONDS), "the later file was never taken");
        assertEquals("queued", job("job-later").path("status").asText());
        assertTrue(Files.exists(inbox.resolve("held.json")), "a file with another reader's marker is not taken");
        assertEquals(404, http.get(url("/api/jobs/job-held")).statusCode());

        Files.delete(inbox.resolve("held.json.camelLock"));
        await(Duration.ofSeconds(10), "file taken once the marker is gone",
                () -> Files.exists(inbox.resolve(".done/held.json")));
        assertEquals("queued", job("job-held").path("status").asText());
    }

    @Test
    @RoleSettings("offgrid.mode=disabled")
    void byDefaultTheInboxBelongsToTheCoreAndNeedsNoLockFiles() throws IOException {
        Path inbox = firstInboxScanDone();
        Files.writeString(inbox.resolve("mine.json.camelLock"), "a marker of another reader");
        Files.writeString(inbox.resolve("mine.json"), ECHO.formatted("job-mine"));

        await(Duration.ofSeconds(10), "file taken", () -> Files.exists(inbox.resolve(".done/mine.json")));
        assertEquals("queued", job("job-mine").path("status").asText());
    }

    @Test
    void theSameFileNameDroppedTwiceIsTwoJobs() throws IOException {
        Path inbox = home.resolve("inbox");
        Files.writeString(inbox.resolve("job.json"), ECHO.formatted("job-first"));
        await(Duration.ofSeconds(10), "first file done", () -> Files.exists(inbox.resolve(".done/job.json")));
        Files.writeString(inbox.resolve("job.json"), ECHO.formatted("job-second"));
        await(Duration.ofSeconds(10), "second file taken", () -> !Files.exists(inbox.resolve("job.json")));
        await(Duration.ofSeconds(10), "second job completed",
                () -> job("job-second").path("status").asText().equals("completed"));
        assertEquals("completed", job("job-first").path("status").asText());
    }

    @Test
    void heldAuctionsAreAllAtTheBrokerAtOnceNotTwentyAtATime() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        broker.answering(seen -> {
            inside.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestBroker.completed(seen);
        });
        int jobs = 80;
        ExecutorService clients = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String id = "job-par-" + i;
                answers.add(clients.submit(() -> submit(id)));
            }
            // the old limits (20 HTTP workers, 20 broker connections) would hold all but 20 back, however long we wait
            Eventually.holds(Duration.ofSeconds(30), () -> assertEquals(jobs, inside.get(),
                    inside.get() + " of " + jobs + " held auctions were at the broker at once"));
            release.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }
}
