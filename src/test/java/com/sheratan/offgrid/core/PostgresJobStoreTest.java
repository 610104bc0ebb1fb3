package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.await;
import static com.sheratan.offgrid.core.CoreTesting.settings;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestPostgres;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job store on a real PostgreSQL server shared by two cores (SPEC 15): the contract of the file
 * store (SPEC 2, 5) holds across cores, a dead core's jobs are taken over once, and a database that is
 * unreachable at start or lost while running is answered as the contract says.
 */
class PostgresJobStoreTest {
    private static final String ECHO = "{\"job_id\":\"%s\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestPostgres postgres;

    @TempDir
    Path home;

    private final Http http = new Http();
    private TestBroker broker;
    private TestRoles machineA;
    private TestRoles machineB;
    private String jdbcUrl;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start(false);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void start() {
        broker = new TestBroker();
        machineA = new TestRoles(home.resolve("a"));
        machineB = new TestRoles(home.resolve("b"));
        jdbcUrl = postgres.newDatabase();
    }

    @AfterEach
    void stop() {
        machineA.close();
        machineB.close();
        broker.close();
    }

    /** A core on the shared database with a short lease, so a take-over happens within a test. */
    private RunningRole core(TestRoles machine, String mode, String... more) {
        Map<String, String> settings = settings(broker.url(), mode, more);
        settings.put("offgrid.core.job-store", "postgres");
        settings.put("offgrid.core.jdbc-url", jdbcUrl);
        settings.put("offgrid.core.jdbc-user", TestPostgres.USER);
        settings.putIfAbsent("offgrid.core.dispatch-lease-ms", "1500");
        settings.putIfAbsent("offgrid.core.dispatch-lease-renew-ms", "200");
        return machine.core(settings);
    }

    private HttpResponse<String> submit(RunningRole core, String jobId) {
        return http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted(jobId));
    }

    private JsonNode job(RunningRole core, String jobId) {
        HttpResponse<String> response = http.get(core.baseUrl() + "/api/jobs/" + jobId);
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private long auctionsOf(String jobId) {
        return broker.seen().stream().filter(s -> jobId.equals(s.body().path("job_id").asText())).count();
    }

    @Test
    void aJobIdSentToTwoCoresAtOnceIsDispatchedOnceAndEitherCoreAnswersIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        broker.answering(seen -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestBroker.completed(seen);
        });
        RunningRole a = core(machineA, "auto");
        RunningRole b = core(machineB, "auto");
        CompletableFuture<HttpResponse<String>> toA = CompletableFuture.supplyAsync(() -> submit(a, "job-twice"));
        CompletableFuture<HttpResponse<String>> toB = CompletableFuture.supplyAsync(() -> submit(b, "job-twice"));
        CompletableFuture.anyOf(toA, toB).get(20, TimeUnit.SECONDS);
        HttpResponse<String> known = toA.isDone() ? toA.get() : toB.get();
        assertEquals(202, known.statusCode(), "the core that did not dispatch answers the job as it stands: "
                + known.body());
        assertEquals("dispatching", json(known.body()).path("status").asText(), known.body());
        release.countDown();
        HttpResponse<String> dispatched = (toA.isDone() && toA.get() == known ? toB : toA).get(20, TimeUnit.SECONDS);
        assertEquals(200, dispatched.statusCode(), dispatched.body());
        assertEquals(1, auctionsOf("job-twice"), "one dispatch");
        assertEquals("completed", job(a, "job-twice").path("status").asText());
        assertEquals("completed", job(b, "job-twice").path("status").asText());
        assertEquals(1, job(b, "job-twice").path("attempts").asInt());

        for (int i = 0; i < 20; i++) {
            String jobId = "job-race-" + i;
            CompletableFuture<HttpResponse<String>> raceA = CompletableFuture.supplyAsync(() -> submit(a, jobId));
            CompletableFuture<HttpResponse<String>> raceB = CompletableFuture.supplyAsync(() -> submit(b, jobId));
            assertTrue(raceA.get(20, TimeUnit.SECONDS).statusCode() < 300, raceA.get().body());
            assertTrue(raceB.get(20, TimeUnit.SECONDS).statusCode() < 300, raceB.get().body());
            assertEquals(1, auctionsOf(jobId), "one dispatch for " + jobId);
        }
        // the counts are the database's: each core counts the jobs the other dispatched
        JsonNode status = json(http.get(b.baseUrl() + "/api/status").body());
        assertEquals(21, status.path("jobs").path("completed").asLong(), status.toString());
    }

    @Test
    void aJobQueuedByOneCoreIsCompletedByAResultGivenToTheOther() throws Exception {
        RunningRole a = core(machineA, "disabled");
        RunningRole b = core(machineB, "disabled");
        HttpResponse<String> queued = submit(a, "job-queued");
        assertEquals(202, queued.statusCode(), queued.body());
        assertTrue(Files.exists(home.resolve("a/webrelay_out/job-queued.job.json")));
        assertEquals("queued", job(b, "job-queued").path("status").asText());

        Path result = home.resolve("b/webrelay_in/job-queued.result.json");
        Files.createDirectories(result.getParent());
        Files.writeString(result.resolveSibling("job-queued.tmp"), "{\"ok\":true,\"action\":\"text_result\",\"text\":\"done\"}");
        Files.move(result.resolveSibling("job-queued.tmp"), result);
        await(WAIT, "the result completes the job", () -> "completed".equals(job(a, "job-queued").path("status").asText()));
        assertEquals("done", job(a, "job-queued").path("result").path("text").asText());
        assertEquals("file_queue", job(b, "job-queued").path("method").asText());
    }

    @Test
    void aJobLeftDispatchingByADeadCoreIsTakenOverOnceWithItsAttemptId() throws SQLException {
        RunningRole a = core(machineA, "auto");
        RunningRole b = core(machineB, "auto");
        // what a core killed mid-dispatch leaves: the job dispatching, its owner holding no lease
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?ApplicationName=core-killed", TestPostgres.USER, "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (job_id, kind, status, method, attempts,"
                     + " source, req_id, attempt_id, created_ms, updated_ms, job) VALUES ('job-orphan', 'echo',"
                     + " 'dispatching', 'offgrid', 1, 'http', 'req-orphan', 'attempt-orphan', ?, ?, ?)")) {
            long now = System.currentTimeMillis();
            insert.setLong(1, now);
            insert.setLong(2, now);
            insert.setString(3, ECHO.formatted("job-orphan"));
            insert.executeUpdate();
        }
        await(WAIT, "the orphan is taken over and completed", () -> "completed".equals(job(a, "job-orphan")
                .path("status").asText()));
        assertEquals(1, auctionsOf("job-orphan"), "taken over by one core, dispatched once");
        assertEquals("attempt-orphan", broker.seen().get(0).body().path("job").path("attempt_id").asText(),
                "the interrupted attempt is resumed, so a host that ran it answers its first result");
        assertEquals("completed", job(b, "job-orphan").path("status").asText());
    }

    @Test
    void aLiveCoresSlowDispatchIsNotTakenOver() {
        broker.answering(seen -> {
            // the broker takes longer than two leases: the dispatching core renews its lease meanwhile
            try {
                Thread.sleep(3500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestBroker.completed(seen);
        });
        RunningRole a = core(machineA, "auto");
        core(machineB, "auto");
        HttpResponse<String> slow = submit(a, "job-slow");
        assertEquals(200, slow.statusCode(), slow.body());
        assertEquals(1, auctionsOf("job-slow"));
        assertEquals(1, job(a, "job-slow").path("attempts").asInt());
    }

    @Test
    void anUnreachableDatabaseStopsStartUpNamingTheUrlButNoPassword() {
        String url = "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/offgrid?password=secret-in-url";
        RoleStartException e = assertThrows(RoleStartException.class, () -> machineA.core(Map.of(
                "offgrid.core.job-store", "postgres", "offgrid.core.jdbc-url", url,
                "offgrid.core.jdbc-user", "offgrid", "offgrid.core.jdbc-password", "hunter2")));
        String message = messages(e);
        assertTrue(message.contains(url.replace("secret-in-url", "***")), message);
        assertFalse(message.contains("hunter2"), message);
        assertFalse(message.contains("secret-in-url"), message);
    }

    @Test
    void aLostDatabaseAnswers503LosesNothingAcknowledgedAndTheCoreRecovers() {
        RunningRole a = core(machineA, "auto");
        assertEquals(200, submit(a, "job-before").statusCode());
        postgres.kill();
        try {
            HttpResponse<String> refused = submit(a, "job-during");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("job_store_unavailable", json(refused.body()).path("error").asText(), refused.body());
            assertEquals(503, http.get(a.baseUrl() + "/api/jobs/job-before").statusCode());
            assertEquals(503, http.get(a.baseUrl() + "/observe/health/ready").statusCode());
        } finally {
            postgres.start();
        }
        await(WAIT, "the core is ready again", () -> http.get(a.baseUrl() + "/observe/health/ready").statusCode() == 200);
        assertEquals("completed", job(a, "job-before").path("status").asText());
        HttpResponse<String> again = submit(a, "job-during");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(1, auctionsOf("job-during"), "the refused job was never dispatched");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
