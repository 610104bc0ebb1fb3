package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.await;
import static com.sheratan.offgrid.core.CoreTesting.deadBrokerUrl;
import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.core.CoreTesting.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 11 for the core: every bad input gets its answer, the core keeps serving, no accepted job disappears. */
class CoreBadInputTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private TestBroker broker;
    private TestRoles roles;
    private Path inbox;

    @BeforeEach
    void start() {
        broker = new TestBroker();
        roles = new TestRoles(home);
        inbox = home.resolve("inbox");
    }

    @AfterEach
    void stop() {
        roles.close();
        broker.close();
    }

    private HttpResponse<String> post(RunningRole core, String body) {
        return http.postJson(core.baseUrl() + "/api/jobs", body);
    }

    private void assertRefused(RunningRole core, String body, String detailPart) {
        HttpResponse<String> response = post(core, body);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("invalid_job", answer.path("error").asText());
        assertTrue(answer.path("detail").asText().contains(detailPart), answer.path("detail").asText());
    }

    private void assertNothingStoredOrDispatched(RunningRole core) {
        assertEquals(0, json(http.get(core.baseUrl() + "/api/jobs").body()).path("jobs").size());
        assertTrue(broker.seen().isEmpty());
    }

    private void assertStillServing(RunningRole core) {
        HttpResponse<String> ok = post(core, "{\"job_id\":\"fine\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void malformedJsonIsRefusedWith400() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        assertRefused(core, "{\"kind\": \"echo\", ", "malformed JSON");
        assertRefused(core, "{\n  \"kind\": ", "(line 2, column");
        assertFalse(post(core, "{\"kind\": ").body().contains("REDACTED"), "no parser internals in the answer");
        assertRefused(core, "{\"kind\":\"echo\"} trailing", "malformed JSON");
        assertNothingStoredOrDispatched(core);
        assertStillServing(core);
    }

    @Test
    void aJsonArrayIsRefusedWith400() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        assertRefused(core, "[{\"kind\":\"echo\"}]", "got an array");
        assertNothingStoredOrDispatched(core);
    }

    @Test
    void missingOrNonStringKindIsRefusedWith400() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        assertRefused(core, "{\"payload\":{\"text\":\"x\"}}", "missing 'kind'");
        assertRefused(core, "{\"kind\":42}", "'kind' must be a non-empty string");
        assertRefused(core, "{\"kind\":[\"echo\"]}", "'kind' must be a non-empty string");
        assertRefused(core, "{\"kind\":\"echo\",\"payload\":\"text\"}", "'payload' must be a JSON object");
        assertRefused(core, "{\"kind\":\"echo\",\"job_id\":\"../../etc/passwd\"}", "'job_id' must be");
        assertRefused(core, "{\"kind\":\"echo\",\"priority\":\"high\"}", "'priority' must be a whole number");
        assertNothingStoredOrDispatched(core);
        assertStillServing(core);
    }

    @Test
    void aNonJsonContentTypeIsRefusedWith415() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        HttpResponse<String> form = http.post(core.baseUrl() + "/api/jobs", "kind=echo".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(415, form.statusCode(), form.body());
        HttpResponse<String> text = http.post(core.baseUrl() + "/api/jobs",
                "{\"kind\":\"echo\"}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
        assertEquals(415, text.statusCode(), text.body());
        assertEquals("unsupported_media_type", json(text.body()).path("error").asText());
        assertNothingStoredOrDispatched(core);
        assertStillServing(core);
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        String big = "{\"kind\":\"echo\",\"payload\":{\"text\":\"" + "x".repeat(1024 * 1024) + "\"}}";
        HttpResponse<String> response = post(core, big);
        assertEquals(413, response.statusCode(), response.body());
        assertNothingStoredOrDispatched(core);

        String justUnder = "{\"kind\":\"echo\",\"payload\":{\"text\":\"" + "x".repeat(1024 * 1024 - 100) + "\"}}";
        assertEquals(200, post(core, justUnder).statusCode());
    }

    @Test
    void anEmptyInboxFileMovesToErrorWithItsReason() throws IOException {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        Files.writeString(inbox.resolve("empty.json"), "");
        Files.writeString(inbox.resolve("broken.json"), "{\"kind\":");
        Files.writeString(inbox.resolve("nokind.json"), "{\"payload\":{}}");

        await(Duration.ofSeconds(10), "bad files moved to .error", () -> Files.exists(inbox.resolve(".error/empty.json"))
                && Files.exists(inbox.resolve(".error/broken.json")) && Files.exists(inbox.resolve(".error/nokind.json")));
        assertTrue(Files.readString(inbox.resolve(".error/empty.json.reason.txt")).contains("empty document"));
        assertTrue(Files.readString(inbox.resolve(".error/broken.json.reason.txt")).contains("malformed JSON"));
        assertTrue(Files.readString(inbox.resolve(".error/nokind.json.reason.txt")).contains("missing 'kind'"));
        assertNothingStoredOrDispatched(core);
        assertStillServing(core);
    }

    @Test
    void aLinkPlacedInErrorAsTheReasonFileIsReplacedNotWrittenThrough() throws IOException {
        Path outside = Files.createTempFile("outside-home", ".txt");
        try {
            Files.writeString(outside, "precious");
            Files.createDirectories(inbox.resolve(".error"));
            Path reason = inbox.resolve(".error/trap.json.reason.txt");
            Files.createSymbolicLink(reason, outside);
            RunningRole core = roles.core(settings(broker.url(), "auto"));
            Files.writeString(inbox.resolve("trap.json"), "{\"kind\":");

            await(Duration.ofSeconds(10), "bad file moved to .error", () -> Files.exists(inbox.resolve(".error/trap.json")));
            assertEquals("precious", Files.readString(outside), "the reason was written through the link");
            assertTrue(Files.isRegularFile(reason, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is still there");
            assertTrue(Files.readString(reason).contains("malformed JSON"));
            assertStillServing(core);
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aHalfWrittenInboxFileIsLeftAloneUntilItIsComplete() throws Exception {
        RunningRole core = roles.core(settings(broker.url(), "auto", "offgrid.core.inbox-min-age-ms", "1500"));
        Path file = inbox.resolve("slow.json");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"job_id\":\"job-slow\",\"kind\":\"echo\",".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // a slow writer: it pauses mid-file, for less than inbox-min-age, while the core scans the inbox
            Thread.sleep(1000);
            assertTrue(Files.exists(file), "a half-written file must stay in the inbox");
            assertFalse(Files.exists(inbox.resolve(".error/slow.json")), "a half-written file is no bad job");
            out.write("\"payload\":{\"text\":\"whole\"}}".getBytes(StandardCharsets.UTF_8));
        }
        await(Duration.ofSeconds(10), "complete file dispatched", () -> Files.exists(inbox.resolve(".done/slow.json")));
        JsonNode job = json(http.get(core.baseUrl() + "/api/jobs/job-slow").body());
        assertEquals("completed", job.path("status").asText());
        assertEquals("whole", broker.seen().get(0).body().path("job").path("args").path("text").asText());
    }

    @Test
    void aDuplicateJobIdIsAnsweredAsItStandsAndNotDispatchedAgain() throws IOException {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        String job = "{\"job_id\":\"job-dup\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}";
        assertEquals(200, post(core, job).statusCode());
        HttpResponse<String> again = post(core, job);
        assertEquals(200, again.statusCode());
        assertEquals("completed", json(again.body()).path("status").asText());

        Files.writeString(inbox.resolve("dup.json"), job);
        await(Duration.ofSeconds(10), "duplicate inbox file done", () -> Files.exists(inbox.resolve(".done/dup.json")));
        assertEquals(1, broker.seen().size());
    }

    @Test
    void anUnwritableFileQueueAnswers503AndKeepsTheInboxFile() throws Exception {
        Files.writeString(home.resolve("webrelay_out"), "a plain file where the queue folder should be");
        RunningRole core = roles.core(settings(broker.url(), "disabled"));

        HttpResponse<String> response = post(core, "{\"job_id\":\"job-nospace\",\"kind\":\"echo\"}");
        assertEquals(503, response.statusCode(), response.body());
        JsonNode answer = json(response.body());
        assertEquals("failed", answer.path("status").asText());
        assertEquals("file_queue_unwritable", answer.path("reason").asText());
        assertTrue(answer.path("detail").asText().contains("webrelay_out/job-nospace.job.json"), response.body());
        JsonNode stored = json(http.get(core.baseUrl() + "/api/jobs/job-nospace").body());
        assertEquals("failed", stored.path("status").asText(), "never reported queued");
        String absoluteHome = home.toAbsolutePath().normalize().toString();
        assertFalse(response.body().contains(absoluteHome), "the answer names a server path: " + response.body());
        assertFalse(stored.toString().contains(absoluteHome), "the job names a server path: " + stored);

        NotifyBuilder triedTwice = new NotifyBuilder(core.camelContext()).fromRoute("inbox-intake").whenDone(2).create();
        Files.writeString(inbox.resolve("waiting.json"), "{\"job_id\":\"job-waiting\",\"kind\":\"echo\"}");
        assertTrue(triedTwice.matches(10, TimeUnit.SECONDS), "the inbox file was not tried again");
        assertTrue(Files.exists(inbox.resolve("waiting.json")), "the inbox file stays where it was");
        assertFalse(Files.exists(inbox.resolve(".done/waiting.json")));
        assertFalse(Files.exists(inbox.resolve(".error/waiting.json")));
        assertEquals(200, http.get(core.baseUrl() + "/api/status").statusCode(), "the core keeps serving");

        // once the queue can be written again, the waiting file goes through and nothing was lost
        Files.delete(home.resolve("webrelay_out"));
        Files.createDirectory(home.resolve("webrelay_out"));
        await(Duration.ofSeconds(10), "waiting job queued", () -> Files.exists(home.resolve("webrelay_out/job-waiting.job.json")));
        await(Duration.ofSeconds(10), "inbox file done", () -> Files.exists(inbox.resolve(".done/waiting.json")));
        HttpResponse<String> retried = post(core, "{\"job_id\":\"job-nospace\",\"kind\":\"echo\"}");
        assertEquals(202, retried.statusCode(), "a failed job is dispatched again when submitted again");
    }

    @Test
    void anUnwritableFileQueueBehindTheDeadLetterChannelAnswers503Too() throws IOException {
        Files.writeString(home.resolve("webrelay_out"), "not a folder");
        RunningRole core = roles.core(settings(deadBrokerUrl(), "auto"));
        HttpResponse<String> response = post(core, "{\"job_id\":\"job-dlc\",\"kind\":\"echo\"}");
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("file_queue_unwritable", json(response.body()).path("reason").asText());
        assertEquals("failed", json(http.get(core.baseUrl() + "/api/jobs/job-dlc").body()).path("status").asText());
    }
}
