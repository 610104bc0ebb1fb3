package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.testing.Eventually;
import static com.sheratan.offgrid.broker.BrokerAuctionTest.find;
import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery file handling, the health monitor and reputation across restarts, seen through the broker's API. */
class BrokerDiscoveryTest {
    private static final List<String> FALLBACK = List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082");

    @TempDir
    Path home;

    @Test
    void missingEmptyOrGarbageFileFallsBackToTheLocalHostsAndSaysWhy() {
        try (BrokerUnderTest broker = new BrokerUnderTest(home).start()) {
            assertFallback(broker, "does not exist");
            broker.writeDiscovery("");
            Eventually.holds(() -> assertFallback(broker, "is empty"));
            broker.writeDiscovery("{\"http://127.0.0.1:1\": {\"node_id\": ");
            Eventually.holds(() -> assertFallback(broker, "is not valid JSON"));
            broker.writeDiscovery("42");
            Eventually.holds(() -> assertFallback(broker, "neither an object"));
            broker.writeDiscovery("[\"ftp://127.0.0.1:21\", \"not a url\"]");
            Eventually.holds(() -> assertFallback(broker, "no usable host"));
            JsonNode status = json(broker.get("/status"));
            assertEquals(2, status.path("hosts").path("known").asInt());
            assertEquals("fallback", status.path("hosts").path("source").asText());
        }
    }

    @Test
    void unreadableFileFallsBack() throws IOException {
        // a folder where the file should be cannot be read as a file (even by root)
        Files.createDirectories(home.resolve("discovery/mesh_hosts.json"));
        try (BrokerUnderTest broker = new BrokerUnderTest(home).start()) {
            assertFallback(broker, "cannot be read");
        }
    }

    @Test
    void theFileIsReReadWhenItChanges() {
        try (StandInHost first = StandInHost.start("host-1");
             StandInHost second = StandInHost.start("host-2");
             BrokerUnderTest broker = new BrokerUnderTest(home).discover(first).start()) {
            assertEquals("host-1", json(broker.auction(request("job-r1", "echo"))).path("node_id").asText());

            broker.discover(second);
            Eventually.holds(() -> assertEquals(List.of(second.url()), urls(broker)));
            assertEquals("host-2", json(broker.auction(request("job-r2", "echo"))).path("node_id").asText());
            assertEquals(1, first.runs());
            assertEquals(1, second.runs());
        }
    }

    @Test
    void listsOfUrlsOrObjectsWorkAndBadEntriesAreSkipped() {
        try (StandInHost a = StandInHost.start("host-a");
             StandInHost b = StandInHost.start("host-b");
             BrokerUnderTest broker = new BrokerUnderTest(home)) {
            broker.writeDiscovery("[\"" + a.url() + "/\", {\"url\": \"" + b.url() + "\", \"node_id\": \"host-b\", \"via\": \"lora\"},"
                    + " \"" + a.url() + "\", \"ftp://127.0.0.1:21\", \"file:///etc/passwd\", 17]");
            broker.start();
            assertEquals(List.of(a.url(), b.url()), urls(broker));
            JsonNode hosts = json(broker.get("/hosts"));
            assertEquals("file", hosts.path("source").asText());
            assertEquals("lora", find(hosts.path("hosts"), b.url()).path("via").asText());
            // same price: lora weighs 1.1, so host-a (node id from its quote) wins
            JsonNode answer = json(broker.auction(request("job-list", "echo")));
            assertEquals("host-a", answer.path("node_id").asText(), answer.toString());
        }
    }

    @Test
    void hostsMarkedInactiveOrFoundDownAreSkipped() {
        try (StandInHost up = StandInHost.start("host-up");
             StandInHost sick = StandInHost.start("host-sick");
             StandInHost off = StandInHost.start("host-off");
             BrokerUnderTest broker = new BrokerUnderTest(home)) {
            up.price = 0.9;
            sick.price = 0.1;
            sick.statusCode = 500;
            off.price = 0.1;
            broker.writeDiscovery("{\"" + up.url() + "\": {\"node_id\": \"host-up\"}, \"" + sick.url()
                    + "\": {\"node_id\": \"host-sick\"}, \"" + off.url() + "\": {\"node_id\": \"host-off\", \"active\": false}}");
            broker.start(Map.of("offgrid.broker.health-interval-ms", "100"));

            Eventually.holds(() -> assertEquals("down",
                    find(json(broker.get("/hosts")).path("hosts"), sick.url()).path("health").asText()));
            JsonNode status = json(broker.get("/status"));
            assertEquals(3, status.path("hosts").path("known").asInt());
            assertEquals(1, status.path("hosts").path("active").asInt());

            JsonNode answer = json(broker.auction(request("job-health", "echo")));
            assertEquals("host-up", answer.path("node_id").asText(), answer.toString());
            assertEquals(0, sick.quotes.get());
            assertEquals(0, off.quotes.get());

            // the monitor notices when the host recovers
            sick.statusCode = 200;
            Eventually.holds(() -> assertTrue(
                    find(json(broker.get("/hosts")).path("hosts"), sick.url()).path("active").asBoolean()));
            assertEquals("host-sick", json(broker.auction(request("job-health-2", "echo"))).path("node_id").asText());
        }
    }

    @Test
    void reputationSurvivesARestart() {
        try (StandInHost good = StandInHost.start("host-good");
             StandInHost bad = StandInHost.start("host-bad")) {
            good.price = 0.5;
            bad.price = 0.1;
            bad.runAnswer = run -> new StandInHost.Reply(502, "bad gateway");
            try (BrokerUnderTest broker = new BrokerUnderTest(home).discover(good, bad).start()) {
                assertEquals(200, broker.auction(request("job-rep-1", "echo")).statusCode());
                assertEquals(200, broker.auction(request("job-rep-2", "echo")).statusCode());
            }
            assertTrue(Files.isRegularFile(home.resolve("state/broker/reputation.json")));
            try (BrokerUnderTest again = new BrokerUnderTest(home).start()) {
                JsonNode hosts = json(again.get("/hosts")).path("hosts");
                JsonNode goodRecord = find(hosts, good.url());
                JsonNode badRecord = find(hosts, bad.url());
                assertEquals(2, goodRecord.path("reputation").path("successes").asInt(), hosts.toString());
                assertEquals(0, goodRecord.path("reputation").path("failures").asInt());
                assertEquals(2, badRecord.path("reputation").path("failures").asInt());
                assertEquals(2, badRecord.path("recent_failures").asInt());
                assertTrue(badRecord.path("reputation").path("last_failure").asText().contains("502"));
                assertFalse(badRecord.path("reputation").path("last_failure_at").isNull());
                // recent failures weigh on the score: 0.1 x (1 + 0.05 x 2) + 0.05
                JsonNode bids = json(again.auction(request("job-rep-3", "echo"))).path("auction").path("bids");
                assertEquals(0.1 * 1.1 + 0.05, find(bids, bad.url()).path("score").asDouble(), 1e-9);
            }
        }
    }

    private static void assertFallback(BrokerUnderTest broker, String why) {
        JsonNode hosts = json(broker.get("/hosts"));
        assertEquals("fallback", hosts.path("source").asText(), hosts.toString());
        assertTrue(hosts.path("fallback_reason").asText().contains(why), hosts.toString());
        assertEquals(FALLBACK, urls(broker));
    }

    private static List<String> urls(BrokerUnderTest broker) {
        JsonNode hosts = json(broker.get("/hosts")).path("hosts");
        return java.util.stream.StreamSupport.stream(hosts.spliterator(), false).map(h -> h.path("host").asText()).toList();
    }
}
