package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same attempt_id executes once: a repeat gets the first answer, IN_PROGRESS meanwhile, also after a restart. */
class AttemptIdempotencyTest {
    @TempDir
    Path home;

    @Test
    void secondCallGetsTheFirstResultWithoutRunningAgain() throws Exception {
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-i", Map.of()));
            ObjectNode job = HostCalls.job("write_file", Map.of("path", "once.txt", "content", "first"));
            HttpResponse<String> first = calls.run(job);
            assertEquals(200, first.statusCode(), first.body());
            Path file = home.resolve("data/host-i/once.txt");
            Files.delete(file);

            HttpResponse<String> second = calls.run(job);  // signed anew: a retry, not a replay
            assertEquals(200, second.statusCode());
            assertEquals(json(first), json(second));
            assertFalse(Files.exists(file), "the attempt ran a second time");
            assertEquals(1, json(calls.get("/status")).get("jobs").get("done").asInt());

            ObjectNode bad = HostCalls.job("write_file", Map.of("path", "../x", "content", "x"));
            assertEquals(400, calls.run(bad).statusCode());
            HttpResponse<String> badAgain = calls.run(bad);
            assertEquals(400, badAgain.statusCode());
            assertEquals("INVALID_ARGS", json(badAgain).get("error_code").asText());
        }
    }

    @Test
    void repeatWhileRunningIsInProgress() throws Exception {
        try (FakeOllama ollama = new FakeOllama(); TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-slow", Map.of("offgrid.host.llm-url", ollama.url())));
            CountDownLatch release = ollama.hold();
            ObjectNode job = HostCalls.job("llm_call", Map.of("prompt", "think slowly"));
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> calls.run(job));
            Eventually.holds(Duration.ofSeconds(10), () ->
                    assertEquals(1, json(calls.get("/status")).get("jobs").get("running").asInt(), "the first run is running"));
            HttpResponse<String> meanwhile = calls.run(job);
            assertEquals(409, meanwhile.statusCode(), meanwhile.body());
            assertEquals("IN_PROGRESS", json(meanwhile).get("error_code").asText());
            assertFalse(json(meanwhile).get("ok").asBoolean());

            release.countDown();
            HttpResponse<String> done = first.get(20, TimeUnit.SECONDS);
            assertEquals(200, done.statusCode(), done.body());
            assertEquals(json(done), json(calls.run(job)));
            assertEquals(1, ollama.requests.size(), "the endpoint was asked once");
        }
    }

    @Test
    void firstResultAndKeyPairSurviveARestart() throws Exception {
        ObjectNode job = HostCalls.job("write_file", Map.of("path", "kept.txt", "content", "before restart"));
        JsonNode firstAnswer;
        String keyBefore;
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-r", Map.of());
            HostCalls calls = new HostCalls(host);
            keyBefore = json(calls.get("/announce")).get("verify_key").asText();
            firstAnswer = json(calls.run(job));
            assertTrue(firstAnswer.get("ok").asBoolean(), firstAnswer.toString());
        }
        Files.delete(home.resolve("data/host-r/kept.txt"));

        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-r", Map.of()));
            String keyAfter = json(calls.get("/announce")).get("verify_key").asText();
            assertEquals(keyBefore, keyAfter, "the host made a new key pair on restart");
            HttpResponse<String> again = calls.run(job);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(firstAnswer, json(again));
            assertFalse(Files.exists(home.resolve("data/host-r/kept.txt")), "the attempt ran again after the restart");
            assertTrue(ReceiptVerifier.verify(json(again).get("receipt"), keyAfter));
        }
    }

    @Test
    void anUnreadableAttemptRecordIsAClearFailureAndDoesNotStayInProgress() throws Exception {
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-c", Map.of()));
            Path attempts = home.resolve("state/hosts/host-c/attempts");
            for (String broken : new String[] {"{\"status\":200,\"bo", ""}) {
                ObjectNode job = HostCalls.job("write_file", Map.of("path", "corrupt.txt", "content", "x"));
                Path record = attempts.resolve(job.get("attempt_id").asText() + ".json");
                Files.writeString(record, broken);

                for (int call = 1; call <= 2; call++) {
                    HttpResponse<String> answer = calls.run(job);
                    assertEquals(500, answer.statusCode(), "call " + call + ": " + answer.body());
                    assertEquals("FAILED", json(answer).get("error_code").asText());
                    assertTrue(json(answer).get("error").asText().contains("cannot read the record of attempt"),
                            answer.body());
                }
                assertEquals(0, json(calls.get("/status")).get("jobs").get("running").asInt(), "the attempt stayed running");
                assertEquals(broken, Files.readString(record), "the record was overwritten");
                assertFalse(Files.exists(home.resolve("data/host-c/corrupt.txt")), "the attempt ran");

                Files.delete(record);  // the operator removed the broken record: a retry proceeds
                assertEquals(200, calls.run(job).statusCode());
                Files.delete(home.resolve("data/host-c/corrupt.txt"));
            }
        }
    }

    @Test
    void oldAttemptRecordsArePrunedAndThenMeetTheDeadline() throws Exception {
        Path attempts = home.resolve("state/hosts/host-p/attempts");
        Files.createDirectories(attempts);
        Path old = Files.writeString(attempts.resolve("old-attempt.json"), "{\"status\":200,\"body\":{}}");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 25 * 3600_000L));
        Path fresh = Files.writeString(attempts.resolve("fresh-attempt.json"), "{\"status\":200,\"body\":{}}");
        try (TestRoles roles = new TestRoles(home)) {
            roles.host("host-p", Map.of("offgrid.host.attempt-keep-hours", "24"));
            Eventually.holds(Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> assertFalse(Files.exists(old), "a record older than offgrid.host.attempt-keep-hours was kept"));
            assertTrue(Files.exists(fresh));
        }
    }
}
