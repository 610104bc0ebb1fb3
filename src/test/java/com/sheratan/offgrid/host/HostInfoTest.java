package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.testing.RoleSettings;
import com.sheratan.offgrid.testing.RoleTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /status, /announce, /quote, and switching a host off and on. */
class HostInfoTest extends RoleTest {
    private HostCalls calls;

    @Override
    protected Role role() {
        return Role.HOST;
    }

    @BeforeEach
    void calls() {
        calls = new HostCalls(baseUrl());
    }

    @Test
    @RoleSettings({"offgrid.host.node-id=host-s", "offgrid.host.public-url=http://mesh.example:8081/"})
    void statusAndAnnounceDescribeTheHost() {
        HttpResponse<String> status = calls.get("/status");
        assertEquals(200, status.statusCode());
        assertEquals("application/json", status.headers().firstValue("Content-Type").orElse(""));
        JsonNode s = json(status);
        assertEquals("ok", s.get("status").asText());
        assertEquals("host-s", s.get("node_id").asText());
        assertTrue(s.get("active").asBoolean());
        assertEquals("[\"echo\",\"sha256\",\"write_file\",\"read_file\",\"list_files\"]", s.get("kinds").toString());
        assertEquals(0, s.get("jobs").get("running").asInt());
        assertEquals(0, s.get("jobs").get("done").asInt());

        JsonNode a = json(calls.get("/announce"));
        assertEquals("host-s", a.get("node_id").asText());
        assertEquals("http://mesh.example:8081", a.get("host").asText());
        assertEquals(1.0, a.get("prices").get("per_mtoken_infer").asDouble());
        assertEquals(0.5, a.get("prices").get("per_gb_hour").asDouble());
        assertEquals(0.1, a.get("prices").get("per_gb_transfer").asDouble());
        assertTrue(a.get("verify_key").asText().startsWith("MCowBQYDK2VwAyEA"), "Base64 X.509 Ed25519 key");
    }

    @Test
    @RoleSettings({"offgrid.host.node-id=host-q", "offgrid.host.price.per-mtoken-infer=2.0",
            "offgrid.host.price.per-gb-hour=0.25", "offgrid.host.price.per-gb-transfer=0.05"})
    void quoteIsThePriceForTheTypeTimesTheSize() {
        JsonNode compute = json(calls.get("/quote?type=compute&size=0.5&kind=echo"));
        assertEquals(1.0, compute.get("quote").asDouble(), 1e-12);
        assertEquals("host-q", compute.get("node_id").asText());
        assertTrue(compute.get("host").asText().startsWith("http://127.0.0.1:"));
        assertEquals("compute", compute.get("type").asText());
        assertEquals(0.5, compute.get("size").asDouble());
        assertEquals("echo", compute.get("kind").asText());
        assertEquals(0.025, json(calls.get("/quote?type=storage&size=0.1&kind=write_file")).get("quote").asDouble(), 1e-12);
        assertEquals(0.5, json(calls.get("/quote?type=transfer&size=10")).get("quote").asDouble(), 1e-12);
        assertEquals("0.0375", json(calls.get("/quote?type=transfer&size=0.75")).get("quote").toString(),
                "no binary-fraction noise");

        HttpResponse<String> unsupported = calls.get("/quote?type=compute&size=1&kind=teleport");
        assertEquals(422, unsupported.statusCode());
        assertEquals("UNSUPPORTED_KIND", json(unsupported).get("error").asText());

        assertEquals(400, calls.get("/quote?type=compute&size=lots&kind=echo").statusCode());
        assertEquals(400, calls.get("/quote?type=compute&size=-1&kind=echo").statusCode());
        assertEquals(400, calls.get("/quote?type=barter&size=1&kind=echo").statusCode());
    }

    @Test
    @RoleSettings({"offgrid.host.node-id=host-off", "offgrid.host.active=false"})
    void inactiveHostAnswersQuotesWith503AndTakesNoJobs() {
        assertFalse(json(calls.get("/status")).get("active").asBoolean());
        HttpResponse<String> quote = calls.get("/quote?type=compute&size=0.1&kind=echo");
        assertEquals(503, quote.statusCode());
        assertEquals("host_inactive", json(quote).get("error").asText());
        HttpResponse<String> run = calls.run(HostCalls.job("echo", Map.of("text", "x")));
        assertEquals(503, run.statusCode());
        assertFalse(json(run).has("ok"), "no ok field, so the broker fails over");
    }

    @Test
    void signedPostToActiveSwitchesTheHostAtRuntime() {
        HttpResponse<String> unsigned = calls.http.postJson(calls.get("/status").uri().resolve("/active").toString(),
                "{\"active\":false}");
        assertEquals(401, unsigned.statusCode());
        assertEquals(200, calls.get("/quote?type=compute&size=0.1&kind=echo").statusCode());

        HttpResponse<String> off = calls.postSigned("/active", HostCalls.utf8("{\"active\":false}"));
        assertEquals(200, off.statusCode(), off.body());
        assertEquals(503, calls.get("/quote?type=compute&size=0.1&kind=echo").statusCode());
        assertFalse(json(calls.get("/announce")).get("active").asBoolean());

        assertEquals(400, calls.postSigned("/active", HostCalls.utf8("{\"active\":\"maybe\"}")).statusCode());
        assertEquals(200, calls.postSigned("/active", HostCalls.utf8("{\"active\":true}")).statusCode());
        assertEquals(200, calls.get("/quote?type=compute&size=0.1&kind=echo").statusCode());
    }
}
