package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /placement (SPEC 13) against stand-in hosts: distinct hosts by score, exclude, 503 not_enough_hosts. */
class BrokerPlacementTest extends BrokerRoleTest {
    private final List<StandInHost> started = new ArrayList<>();

    private StandInHost host(String nodeId, double price) {
        StandInHost host = StandInHost.start(nodeId);
        host.price = price;
        started.add(host);
        return host;
    }

    @AfterEach
    void stopAll() {
        started.forEach(StandInHost::close);
    }

    private HttpResponse<String> placement(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>(signer.sign("POST", "/placement", "broker", bytes).asMap());
        headers.put("Content-Type", "application/json");
        return http.post(url("/placement"), bytes, headers);
    }

    @Test
    void theCheapestDistinctHostsAreChosenWithStorageQuotesAskedOfAll() {
        StandInHost a = host("host-a", 0.3);
        StandInHost b = host("host-b", 0.1);
        StandInHost c = host("host-c", 0.2);
        start(a, b, c);
        HttpResponse<String> response = placement("{\"object_id\":\"o1\",\"shards\":2,\"shard_bytes\":1000000000,\"exclude\":[]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode hosts = json(response).get("hosts");
        assertEquals(2, hosts.size());
        assertEquals("host-b", hosts.get(0).get("node_id").asText());
        assertEquals(b.url(), hosts.get(0).get("host").asText());
        assertEquals("host-c", hosts.get(1).get("node_id").asText());
        assertTrue(hosts.get(0).get("score").asDouble() <= hosts.get(1).get("score").asDouble());
        for (StandInHost host : List.of(a, b, c)) {
            assertEquals(1, host.quotes.get());
            String query = host.quoteQueries.get(0);
            assertTrue(query.contains("type=storage") && query.contains("kind=shard") && query.contains("size=1"), query);
        }
    }

    @Test
    void excludedHostsAreNotChosen() {
        StandInHost a = host("host-a", 0.3);
        StandInHost b = host("host-b", 0.1);
        StandInHost c = host("host-c", 0.2);
        start(a, b, c);
        JsonNode hosts = json(placement("{\"object_id\":\"o1\",\"shards\":2,\"shard_bytes\":10,\"exclude\":[\"host-b\"]}"))
                .get("hosts");
        assertEquals(List.of("host-c", "host-a"), List.of(hosts.get(0).get("node_id").asText(), hosts.get(1).get("node_id").asText()));
        assertEquals(0, b.quotes.get());
    }

    @Test
    void tooFewHostsAre503WithNeedAndHave() {
        StandInHost a = host("host-a", 0.3);
        StandInHost b = host("host-b", 0.1);
        b.unsupported = true; // a host that answers no usable storage quote cannot take a shard
        start(a, b);
        HttpResponse<String> response = placement("{\"object_id\":\"o1\",\"shards\":3,\"shard_bytes\":10}");
        assertEquals(503, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("not_enough_hosts", body.get("error").asText());
        assertEquals(3, body.get("need").asInt());
        assertEquals(1, body.get("have").asInt());
    }

    @Test
    void badPlacementRequestsAre400AndUnsignedOnes401() {
        start(host("host-a", 0.1));
        assertEquals(400, placement("{\"shards\":0,\"shard_bytes\":10}").statusCode());
        assertEquals(400, placement("not json").statusCode());
        assertEquals(400, placement("{\"shards\":2,\"shard_bytes\":10,\"exclude\":\"host-a\"}").statusCode());
        assertEquals(401, http.postJson(url("/placement"), "{\"shards\":1,\"shard_bytes\":1}").statusCode());
    }
}
