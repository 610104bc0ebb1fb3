package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.RoleSettings;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The auction never blocks the broker: GET /status answers, with the auctions counted, while every
 * auction is still held at a host that has not answered its run.
 */
class BrokerStatusTest extends BrokerRoleTest {
    private final StandInHost slow = StandInHost.start("host-slow");
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopHostAndCallers() {
        slow.close();
        callers.shutdownNow();
    }

    private List<Future<HttpResponse<String>>> auctions(String prefix, int count) {
        List<Future<HttpResponse<String>>> auctions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = request(prefix + i, "echo");
            auctions.add(callers.submit(() -> auction(body)));
        }
        return auctions;
    }

    @Test
    void statusAnswersWithTheCountsWhile20AuctionsAreHeldAtTheirHost() throws Exception {
        start(slow);
        slow.holdRuns();
        List<Future<HttpResponse<String>>> auctions = auctions("job-slow-", 20);
        // all 20 are inside the broker, each waiting on the slow host's /run
        Eventually.holds(() -> assertEquals(20, slow.runs()));

        HttpResponse<String> response = get("/status");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode status = json(response);
        assertEquals(20, status.path("auctions").path("in_flight").asInt(), status.toString());
        assertEquals(0, status.path("auctions").path("completed_ok").asInt(), status.toString());
        assertEquals("offgrid-broker", status.path("service").asText());
        assertEquals("ok", status.path("status").asText());
        assertFalse(auctions.stream().anyMatch(Future::isDone), "/status answered while every auction was held");

        slow.releaseRuns();
        for (Future<HttpResponse<String>> auction : auctions) {
            assertEquals(200, auction.get().statusCode());
        }
        JsonNode after = json(get("/status")).path("auctions");
        assertEquals(0, after.path("in_flight").asInt());
        assertEquals(20, after.path("completed_ok").asInt());
    }

    @Test
    @RoleSettings("offgrid.broker.max-concurrent-auctions=2")
    void auctionsBeyondTheLimitAreTurnedAwayWhileTheOthersAreHeld() throws Exception {
        start(slow);
        slow.holdRuns();
        List<Future<HttpResponse<String>>> running = auctions("job-busy-", 2);
        Eventually.holds(() -> assertEquals(2, slow.runs()));

        HttpResponse<String> turnedAway = auction(request("job-busy-3", "echo"));
        assertEquals(503, turnedAway.statusCode());
        assertEquals("broker_busy", json(turnedAway).path("error").asText());
        assertEquals("1", turnedAway.headers().firstValue("Retry-After").orElse(null));
        assertFalse(running.stream().anyMatch(Future::isDone), "the third was turned away without waiting for the two");
        assertEquals(2, slow.runs(), "the one turned away never reached the host");

        slow.releaseRuns();
        for (Future<HttpResponse<String>> auction : running) {
            assertEquals(200, auction.get().statusCode());
        }
    }
}
