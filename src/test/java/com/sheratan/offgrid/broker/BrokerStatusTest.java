package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.testing.Eventually;
import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auction never blocks the broker: GET /status answers at once while auctions wait on slow hosts. */
class BrokerStatusTest {
    @TempDir
    Path home;

    @Test
    void statusAnswersWithin100msWhile20AuctionsWaitOnSlowHosts() throws Exception {
        try (StandInHost slow = StandInHost.start("host-slow");
             BrokerUnderTest broker = new BrokerUnderTest(home).discover(slow).start()) {
            slow.runDelayMs = 3_000;
            assertEquals(200, broker.get("/status").statusCode()); // warm: the first call loads classes
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> auctions = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] body = request("job-slow-" + i, "echo").getBytes(StandardCharsets.UTF_8);
                HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(broker.url("/auction")))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                broker.signer.sign("POST", "/auction", body).asMap().forEach(post::header);
                auctions.add(client.sendAsync(post.header("Content-Type", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // all 20 are inside the broker, each waiting on the slow host's /run
            Eventually.holds(() -> assertEquals(20, slow.runs()));
            JsonNode status = null;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = broker.get("/status");
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, response.statusCode());
                assertTrue(tookMs < 100, "/status took " + tookMs + " ms while auctions ran");
                status = json(response);
            }
            assertEquals(20, status.path("auctions").path("in_flight").asInt(), status.toString());
            assertEquals("offgrid-broker", status.path("service").asText());
            assertEquals("ok", status.path("status").asText());

            for (CompletableFuture<HttpResponse<String>> auction : auctions) {
                assertEquals(200, auction.get().statusCode());
            }
            JsonNode after = json(broker.get("/status")).path("auctions");
            assertEquals(0, after.path("in_flight").asInt());
            assertEquals(20, after.path("completed_ok").asInt());
        }
    }

    @Test
    void auctionsBeyondTheLimitAreTurnedAwayAtOnce() throws Exception {
        try (StandInHost slow = StandInHost.start("host-slow");
             BrokerUnderTest broker = new BrokerUnderTest(home).discover(slow)
                     .start(Map.of("offgrid.broker.max-concurrent-auctions", "2"))) {
            slow.runDelayMs = 2_000;
            List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String body = request("job-busy-" + i, "echo");
                running.add(CompletableFuture.supplyAsync(() -> broker.auction(body)));
            }
            Eventually.holds(() -> assertEquals(2, slow.runs()));
            long start = System.nanoTime();
            HttpResponse<String> turnedAway = broker.auction(request("job-busy-3", "echo"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 500);
            assertEquals(503, turnedAway.statusCode());
            assertEquals("broker_busy", json(turnedAway).path("error").asText());
            assertEquals("1", turnedAway.headers().firstValue("Retry-After").orElse(null));
            for (CompletableFuture<HttpResponse<String>> auction : running) {
                assertEquals(200, auction.get().statusCode());
            }
        }
    }
}
