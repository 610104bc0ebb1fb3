package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.RoleSettings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /auction end to end over loopback, against stand-in hosts. */
class BrokerAuctionTest extends BrokerRoleTest {
    private final List<AutoCloseable> started = new java.util.ArrayList<>();

    private StandInHost host(String nodeId, double price) {
        StandInHost host = StandInHost.start(nodeId);
        host.price = price;
        started.add(host);
        return host;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    void cheapestHostWinsAndItsAnswerPassesThroughWhole() throws IOException {
        StandInHost dear = host("host-a", 0.3);
        StandInHost cheap = host("host-b", 0.1);
        start(dear, cheap);

        String request = request("job-1", "echo");
        HttpResponse<String> response = auction(request);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("completed", body.path("status").asText());
        assertTrue(body.path("ok").asBoolean());
        assertEquals(cheap.url(), body.path("host").asText());
        assertEquals("host-b", body.path("node_id").asText());
        assertEquals(0.1, body.path("quote").asDouble());
        assertEquals("ran on host-b", body.path("output").asText());
        assertEquals(3, body.path("result").path("tokens").asInt());
        assertTrue(ReceiptVerifier.verify(body.path("receipt"), cheap.signer.verifyKey()), "the host's receipt, whole");
        assertEquals(0, body.path("ledger").path("seq").asInt(), "the run is charged: " + body.path("ledger"));
        assertEquals("req-job-1", body.path("req_id").asText());
        assertEquals(cheap.url(), body.path("auction").path("winner").asText());
        assertEquals(List.of(cheap.url()), texts(body.path("auction").path("tried")));
        JsonNode bids = body.path("auction").path("bids");
        assertEquals(2, bids.size());
        assertEquals("host-b", bids.get(0).path("node_id").asText());
        assertEquals(0.1 + 0.01 * 5000 / 1000.0, bids.get(0).path("score").asDouble(), 1e-9);
        assertEquals("host-a", bids.get(1).path("node_id").asText());

        // the dear host was asked but never got the job; the cheap one got {job_id, job} untouched, signed
        assertEquals(1, dear.quotes.get());
        assertEquals(0, dear.runs());
        assertEquals(1, cheap.runs());
        assertTrue(cheap.refusedSignatures.isEmpty());
        JsonNode sent = cheap.runBodies.get(0);
        assertEquals("job-1", sent.path("job_id").asText());
        assertEquals(Json.mapper().readTree(request).path("job"), sent.path("job"));
        assertEquals("req-job-1", cheap.runHeaders.get(0).get("X-Request-Id"));
        assertTrue(cheap.quoteQueries.get(0).contains("type=compute") && cheap.quoteQueries.get(0).contains("kind=echo")
                && cheap.quoteQueries.get(0).contains("size=0.1"), cheap.quoteQueries.get(0));

        // the answer is kept for GET /results/{job_id}; an unknown job is 404
        HttpResponse<String> stored = get("/results/job-1");
        assertEquals(200, stored.statusCode());
        assertEquals(body, json(stored));
        assertEquals(404, get("/results/no-such-job").statusCode());
    }

    @Test
    @RoleSettings("offgrid.broker.results-bytes=4096")
    void resultsKeepTheNewestAnswersWithinTheirBytesAndNeverOneLargerThanAll() {
        StandInHost host = host("host-a", 0.1);
        host.noReceipt = true; // answers of a known size: a signed receipt adds ~500 bytes
        start(host);

        List<JsonNode> answers = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            HttpResponse<String> response = auction(request("job-" + i, "echo"));
            assertEquals(200, response.statusCode(), response.body());
            answers.add(json(response));
        }
        int answerBytes = answers.get(11).toString().length();
        assertTrue(answerBytes > 400 && answerBytes < 1000, "an answer takes " + answerBytes + " bytes");
        // 4 KiB hold at least the newest three answers whole; the first ones are forgotten, not cut
        for (int i = 10; i <= 12; i++) {
            HttpResponse<String> stored = get("/results/job-" + i);
            assertEquals(200, stored.statusCode(), "job-" + i);
            assertEquals(answers.get(i - 1), json(stored));
        }
        HttpResponse<String> forgotten = get("/results/job-1");
        assertEquals(404, forgotten.statusCode());
        assertEquals("unknown_job", json(forgotten).path("error").asText());

        // a host answer larger than the store still reaches the caller whole; it is just not kept
        host.runAnswer = run -> new StandInHost.Reply(200, "{\"ok\":true,\"output\":\"" + "y".repeat(5000) + "\"}");
        HttpResponse<String> large = auction(request("job-large", "echo"));
        assertEquals(200, large.statusCode(), large.body());
        assertEquals(5000, json(large).path("output").asText().length());
        assertEquals(404, get("/results/job-large").statusCode());
        assertEquals(answers.get(11), json(get("/results/job-12")));
    }

    @Test
    void tiesBreakByNodeId() {
        StandInHost zulu = host("host-z", 0.2);
        StandInHost alpha = host("host-a", 0.2);
        start(zulu, alpha);

        JsonNode body = json(auction(request("job-tie", "echo")));
        assertEquals("host-a", body.path("node_id").asText(), body.toString());
        assertEquals(1, alpha.runs());
        assertEquals(0, zulu.runs());
    }

    @Test
    @RoleSettings("offgrid.broker.quote-timeout-ms=700")
    void aHangingHostIsDroppedAtTheQuoteTimeoutAndTheAuctionGoesOn() {
        StandInHost hanging = host("host-a", 0.01);
        hanging.holdQuotes();
        StandInHost fine = host("host-b", 0.5);
        start(hanging, fine);

        HttpResponse<String> response = auction(request("job-hang", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("host-b", body.path("node_id").asText());
        // answered while the hanging host's quote is still held: the broker gave up on it, not waited it out
        assertEquals(1, hanging.quotes.get());
        assertEquals(0, hanging.runs());
        JsonNode dropped = body.path("auction").path("dropped").get(0);
        assertEquals("quote", dropped.path("stage").asText(), body.toString());
        assertTrue(dropped.toString().contains("700 ms"), dropped.toString());

        // the hang counts against the host's reputation
        JsonNode hosts = json(get("/hosts")).path("hosts");
        JsonNode record = find(hosts, hanging.url());
        assertEquals(1, record.path("reputation").path("failures").asInt(), record.toString());
        assertEquals(1, record.path("recent_failures").asInt());
        assertTrue(record.path("reputation").path("last_failure").asText().contains("700 ms"), record.toString());
    }

    @Test
    void failsOverWhenTheWinnerFails() {
        StandInHost broken = host("host-a", 0.1);
        broken.runAnswer = run -> new StandInHost.Reply(500, "<html>oops</html>");
        StandInHost backup = host("host-b", 0.2);
        start(broken, backup);

        HttpResponse<String> response = auction(request("job-fo", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("host-b", body.path("node_id").asText());
        assertEquals(List.of(broken.url(), backup.url()), texts(body.path("auction").path("tried")));
        assertEquals("run", body.path("auction").path("dropped").get(0).path("stage").asText());
        assertEquals(1, broken.runs());
        assertEquals(1, backup.runs());
        // the very same job went to both
        assertEquals(broken.runBodies.get(0), backup.runBodies.get(0));
        assertEquals(1, json(get("/status")).path("auctions").path("failovers").asInt());
    }

    @Test
    @RoleSettings("offgrid.broker.max-answer-bytes=2048")
    void aRunAnswerOverTheSizeLimitFailsOverWithThatReason() {
        StandInHost flooding = host("host-a", 0.1);
        flooding.runAnswer = run -> new StandInHost.Reply(200, "{\"ok\":true,\"output\":\"" + "x".repeat(4096) + "\"}");
        StandInHost backup = host("host-b", 0.2);
        start(flooding, backup);

        HttpResponse<String> response = auction(request("job-big", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("host-b", body.path("node_id").asText());
        JsonNode dropped = body.path("auction").path("dropped").get(0);
        assertEquals("run", dropped.path("stage").asText());
        assertTrue(dropped.toString().contains("answer larger than 2048 bytes (offgrid.broker.max-answer-bytes)"),
                dropped.toString());
        assertEquals(1, flooding.runs());
    }

    @Test
    void failsOverOnUnsupportedKindButNotBeyondRedundancy() {
        StandInHost first = host("host-a", 0.1);
        first.runAnswer = run -> StandInHost.failed(422, "UNSUPPORTED_KIND");
        StandInHost second = host("host-b", 0.2);
        second.runAnswer = run -> StandInHost.failed(403, "UNAUTHORIZED");
        StandInHost third = host("host-c", 0.3);
        start(first, second, third);

        HttpResponse<String> response = auction(request("job-red", "echo"));
        assertEquals(503, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("no_hosts_available", body.path("error").asText());
        assertEquals("req-job-red", body.path("req_id").asText());
        assertEquals(1, first.runs(), "the winner is asked to run it once");
        assertEquals(1, second.runs(), "UNSUPPORTED_KIND from the winner fails over to the second candidate, once");
        assertEquals(0, third.runs(), "redundancy 2: the third candidate is not tried");
        assertEquals(1, json(get("/status")).path("auctions").path("failovers").asInt());
        assertEquals(3, body.path("tried").size());
    }

    @Test
    void aHostRunningTheAttemptAlreadyIsAskedAgainForItsResultAndNoOtherHostRunsIt() {
        StandInHost running = host("host-a", 0.1);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        running.runAnswer = run -> asked.incrementAndGet() < 3 ? StandInHost.failed(409, "IN_PROGRESS") : running.ranFine(run);
        StandInHost other = host("host-b", 0.2);
        start(running, other);

        HttpResponse<String> response = auction(request("job-resumed", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.path("ok").asBoolean(), body.toString());
        assertEquals("host-a", body.path("node_id").asText(), "the result of the host that ran the attempt");
        assertEquals(3, running.runs(), "asked again while it answered IN_PROGRESS");
        assertEquals(0, other.runs(), "the attempt never runs on a second host");
        assertEquals(0, json(get("/status")).path("auctions").path("failovers").asInt());
    }

    @Test
    void aRepeatedAttemptGoesToTheHostThatRanItNotToANowCheaperOne() {
        StandInHost ran = host("host-a", 0.1);
        StandInHost other = host("host-b", 0.2);
        start(ran, other);
        JsonNode first = json(auction(request("job-again", "echo")));
        assertEquals("host-a", first.path("node_id").asText(), first.toString());

        other.price = 0.01; // host-b is the cheapest now
        JsonNode again = json(auction(request("job-again", "echo")));
        assertEquals("host-a", again.path("node_id").asText(), "asked first for its kept result: " + again);
        assertEquals(2, ran.runs());
        assertEquals(0, other.runs(), "the attempt never runs on a second host");
        assertEquals(first.path("ledger").path("seq"), again.path("ledger").path("seq"), "charged once");

        JsonNode fresh = json(auction(request("job-new", "echo")));
        assertEquals("host-b", fresh.path("node_id").asText(), "a new attempt goes to the best bid");
    }

    @Test
    @RoleSettings("offgrid.broker.run-timeout-ms=600")
    void anAttemptStillRunningAfterARunTimeoutIsAnsweredAsSuchNotRunElsewhere() {
        StandInHost running = host("host-a", 0.1);
        running.runAnswer = run -> StandInHost.failed(409, "IN_PROGRESS");
        StandInHost other = host("host-b", 0.2);
        start(running, other);

        HttpResponse<String> response = auction(request("job-long", "echo"));
        JsonNode body = json(response);
        assertFalse(body.path("ok").asBoolean(true), body.toString());
        assertEquals("IN_PROGRESS", body.path("error_code").asText(), body.toString());
        assertTrue(running.runs() >= 2, "asked again within the run timeout: " + running.runs());
        assertEquals(0, other.runs(), "the attempt never runs on a second host");
        JsonNode hosts = json(get("/hosts")).path("hosts");
        assertEquals(0, find(hosts, running.url()).path("reputation").path("failures").asInt(),
                "running the attempt is not the host's failure");
    }

    @Test
    void hostsThatCannotRunTheKindOrAreInactiveAreSkippedWithoutAFailure() {
        StandInHost cannot = host("host-a", 0.01);
        cannot.unsupported = true;
        StandInHost off = host("host-c", 0.02);
        off.inactive = true;
        StandInHost can = host("host-b", 0.5);
        start(cannot, off, can);

        JsonNode body = json(auction(request("job-kind", "llm_call")));
        assertEquals("host-b", body.path("node_id").asText(), body.toString());
        assertEquals(1, body.path("auction").path("bids").size());
        assertEquals(0, cannot.runs());
        assertEquals(0, off.runs());
        // an honest "I cannot" or "I am switched off" is not a failure of the host
        JsonNode hosts = json(get("/hosts")).path("hosts");
        assertEquals(0, find(hosts, cannot.url()).path("reputation").path("failures").asInt(), hosts.toString());
        assertEquals(0, find(hosts, off.url()).path("reputation").path("failures").asInt(), hosts.toString());
        assertEquals("inactive", find(hosts, off.url()).path("health").asText(), "skipped like the health monitor skips it");
        assertEquals(List.of("UNSUPPORTED_KIND llm_call", "host_inactive"),
                StreamSupport.stream(body.path("auction").path("dropped").spliterator(), false)
                        .map(drop -> drop.path("reason").asText()).toList());
    }

    @Test
    void aWinnerSwitchedOffBeforeItsRunIsFailedOverWithoutAFailure() {
        StandInHost off = host("host-a", 0.1);
        off.runAnswer = run -> new StandInHost.Reply(503, "{\"error\":\"host_inactive\",\"node_id\":\"host-a\"}");
        StandInHost other = host("host-b", 0.2);
        start(off, other);

        JsonNode body = json(auction(request("job-off", "echo")));
        assertEquals("host-b", body.path("node_id").asText(), body.toString());
        assertEquals(1, off.runs());
        assertEquals(1, other.runs());
        JsonNode hosts = json(get("/hosts")).path("hosts");
        assertEquals(0, find(hosts, off.url()).path("reputation").path("failures").asInt(), hosts.toString());
        assertEquals("inactive", find(hosts, off.url()).path("health").asText(), "skipped like the health monitor skips it");
    }

    @Test
    void aJobThatFailsOnTheHostIsPassedThroughNotFailedOver() {
        StandInHost strict = host("host-a", 0.1);
        strict.runAnswer = run -> StandInHost.failed(400, "INVALID_ARGS");
        StandInHost other = host("host-b", 0.2);
        start(strict, other);

        HttpResponse<String> response = auction(request("job-bad", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertFalse(body.path("ok").asBoolean(true), "ok stays the host's false");
        assertEquals("INVALID_ARGS", body.path("error_code").asText());
        assertEquals("host-a", body.path("node_id").asText());
        assertEquals(0, other.runs());
    }

    @Test
    void noHostsAnswers503WithTried() {
        StandInHost cannot = host("host-a", 0.1);
        cannot.unsupported = true;
        String nobody = "http://127.0.0.1:" + Ports.free();
        BrokerUnderTest.writeDiscovery(home, "{\"" + cannot.url() + "\":{\"node_id\":\"host-a\"},\"" + nobody + "\":{\"node_id\":\"gone\"}}");
        startRole();
        // the health monitor finds the dead host down at start-up, so the auction skips it
        Eventually.holds(() -> assertEquals("down",
                find(json(get("/hosts")).path("hosts"), nobody).path("health").asText()));

        HttpResponse<String> response = auction(request("job-none", "echo"));
        assertEquals(503, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("no_hosts_available", body.path("error").asText());
        assertEquals(List.of(cannot.url()), texts(body.path("tried")));
        assertEquals("UNSUPPORTED_KIND echo", body.path("dropped").get(0).path("reason").asText());
        assertEquals(0, cannot.runs());
        assertEquals(1, json(get("/status")).path("auctions").path("no_hosts").asInt());
    }

    @Test
    @RoleSettings("offgrid.broker.health-interval-ms=100")
    void olderHostsTakePart() {
        StandInHost old = host("host-old", 0.1);
        old.olderProtocol = true;
        old.runAnswer = run -> new StandInHost.Reply(200, "{\"result\":{\"ok\":true,\"text\":\"old style\"}}");
        start(old);
        // no GET /status is not "down": the host answered
        Eventually.holds(() -> assertEquals("up", find(json(get("/hosts")).path("hosts"), old.url())
                .path("health").asText()));

        HttpResponse<String> response = auction(request("job-old", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.path("ok").asBoolean());
        assertEquals("host-old", body.path("node_id").asText(), "node_id taken from discovery");
        assertEquals(old.url(), body.path("host").asText());
        assertEquals("old style", body.path("output").asText());
        assertEquals("old style", body.path("result").path("text").asText());
        assertTrue(body.path("receipt").isNull());
        assertEquals("host-old", body.path("auction").path("bids").get(0).path("node_id").asText());
    }

    @Test
    void anOlderHostsFailedResultIsBookedAsAFailureAndPassedThrough() {
        StandInHost old = host("host-old", 0.1);
        old.olderProtocol = true;
        old.runAnswer = run -> new StandInHost.Reply(200, "{\"result\":{\"ok\":false,\"error\":\"disk full\"}}");
        StandInHost other = host("host-b", 0.2);
        start(old, other);

        HttpResponse<String> response = auction(request("job-old-fail", "echo"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertFalse(body.path("ok").asBoolean(true), body.toString());
        assertEquals("host-old", body.path("node_id").asText());
        assertFalse(body.path("result").path("ok").asBoolean(true), "the host's result passes through whole");
        assertEquals("FAILED", body.path("error_code").asText(), body.toString());
        assertEquals("disk full", body.path("error").asText(), "why, from the older host's result");
        // the job ran and failed on the host, as with error_code FAILED: no failover (SPEC 7), a failure for the host
        assertEquals(1, old.runs());
        assertEquals(0, other.runs());
        JsonNode record = find(json(get("/hosts")).path("hosts"), old.url());
        assertEquals(0, record.path("reputation").path("successes").asInt(), record.toString());
        assertEquals(1, record.path("reputation").path("failures").asInt(), record.toString());
        JsonNode auctions = json(get("/status")).path("auctions");
        assertEquals(0, auctions.path("completed_ok").asInt(), auctions.toString());
        assertEquals(1, auctions.path("completed_not_ok").asInt(), auctions.toString());
        assertEquals(body, json(get("/results/job-old-fail")));
    }

    @Test
    void badBodiesAre400InvalidJob() {
        start(host("host-a", 0.1));
        for (String bad : List.of("not json at all", "[1,2]", "{\"job\":{\"kind\":\"echo\"}}",
                "{\"job_id\":\"j\"}", "{\"job_id\":\"j\",\"job\":\"echo\"}", "")) {
            HttpResponse<String> response = auction(bad);
            assertEquals(400, response.statusCode(), bad + " -> " + response.body());
            JsonNode body = json(response);
            assertEquals("invalid_job", body.path("error").asText());
            assertFalse(body.path("detail").asText().isBlank());
        }
    }

    static JsonNode find(JsonNode hosts, String url) {
        return StreamSupport.stream(hosts.spliterator(), false).filter(h -> h.path("host").asText().equals(url))
                .findFirst().orElseThrow(() -> new AssertionError(url + " not in " + hosts));
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
