package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 14, the dashboard over plain HTTP: every asset from the core itself, and the event stream. */
class DashboardTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private TestRoles roles;

    @AfterEach
    void stop() {
        if (roles != null) {
            roles.close();
        }
    }

    @Test
    void everyAssetThePageNamesIsServedByTheCore() {
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
        RunningRole core = roles.core(Map.of());
        HttpResponse<String> page = http.get(core.baseUrl() + "/ui/");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        int count = 0;
        while (assets.find()) {
            String asset = assets.group(1);
            assertTrue(!asset.startsWith("http") && !asset.startsWith("//"), "an asset from elsewhere: " + asset);
            HttpResponse<String> served = http.get(core.baseUrl() + "/ui/" + asset);
            assertEquals(200, served.statusCode(), asset);
            count++;
        }
        assertEquals(4, count, "the page names uPlot's script and style and its own");
        assertEquals(404, http.get(core.baseUrl() + "/ui/nothing.js").statusCode());
    }

    @Test
    void eventStreamSendsRatesThenTheOutcomeOfEachJob() throws Exception {
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
        RunningRole core = roles.core(Map.of());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse(""));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 2000", lines.readLine());
            lines.readLine();
            assertEquals("event: rates", lines.readLine());
            assertEquals(202, http.postJson(core.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"streamed-1\",\"kind\":\"echo\",\"payload\":{}}").statusCode());
            String line;
            boolean seen = false;
            while (!seen && (line = lines.readLine()) != null) {
                seen = line.startsWith("data: {\"job_id\":\"streamed-1\",\"status\":\"queued\"");
            }
            assertTrue(seen, "the job's outcome never came through /api/events");
        }
    }
    @Test
    void withApiTokensTheEventStreamTakesAShortLivedTicketBoughtWithTheToken() throws Exception {
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled", "OFFGRID_API_TOKENS", "dash-token"));
        RunningRole core = roles.core(Map.of());
        HttpRequest.Builder ticketCall = HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events/ticket"))
                .POST(HttpRequest.BodyPublishers.noBody());
        assertEquals(401, http.send(ticketCall.build()).statusCode(), "a ticket needs the token");
        HttpResponse<String> bought = http.send(ticketCall.header("Authorization", "Bearer dash-token").build());
        assertEquals(200, bought.statusCode(), bought.body());
        String ticket = Http.json(bought).path("ticket").asText();
        assertTrue(ticket.length() >= 40, bought.body());
        assertEquals(30, Http.json(bought).path("expires_in_s").asInt());

        HttpRequest stream = HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events?ticket=" + ticket))
                .timeout(Duration.ofSeconds(30)).build();
        assertEquals(200, http.statusOfStream(stream), "a fresh ticket opens the stream");
        HttpResponse<String> again = http.send(stream);
        assertEquals(401, again.statusCode(), "a ticket is good for one connection");
        assertEquals("bad_ticket", Http.json(again).path("error").asText());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(core.baseUrl()
                + "/api/events?ticket=" + "A".repeat(43))).build());
        assertEquals(401, forged.statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events")).build())
                .statusCode(), "no token, no ticket");
        assertEquals(200, http.statusOfStream(HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events"))
                .header("Authorization", "Bearer dash-token").build()), "the bearer token still works");
    }

    @Test
    void ledgerPanelShowsTheBrokersBalancesAndAVerifiedCheckpoint() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("discovery"));
        roles = new TestRoles(home);
        RunningRole host = roles.host("host-a", Map.of());
        java.nio.file.Files.writeString(home.resolve("discovery/mesh_hosts.json"),
                "{\"" + host.baseUrl() + "\":{\"node_id\":\"host-a\"}}");
        RunningRole broker = roles.broker(Map.of("offgrid.broker.ledger.checkpoint-interval-ms", "100"));
        RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl()));

        assertEquals(200, http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"charged-1\",\"kind\":\"echo\",\"payload\":{}}").statusCode());
        com.sheratan.offgrid.testing.Eventually.holds(() -> {
            com.fasterxml.jackson.databind.JsonNode ledger = Http.json(http.get(core.baseUrl() + "/api/ledger"));
            assertTrue(ledger.path("enabled").asBoolean(), ledger.toString());
            assertTrue(ledger.path("verified").asBoolean(), ledger.toString());
            assertEquals(1, ledger.path("checkpoint").path("tree_size").asInt(), ledger.toString());
            assertEquals("0.000000000", ledger.path("balances").path("sum").asText(), ledger.toString());
            assertTrue(ledger.path("balances").path("accounts").has("host:host-a"), ledger.toString());
        });
        // a later checkpoint verifies too: the broker proves its tree extends the one verified before
        assertEquals(200, http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"charged-2\",\"kind\":\"echo\",\"payload\":{}}").statusCode());
        com.sheratan.offgrid.testing.Eventually.holds(() -> {
            com.fasterxml.jackson.databind.JsonNode ledger = Http.json(http.get(core.baseUrl() + "/api/ledger"));
            assertEquals(2, ledger.path("checkpoint").path("tree_size").asInt(), ledger.toString());
            assertTrue(ledger.path("verified").asBoolean(), ledger.toString());
        });

        com.fasterxml.jackson.databind.JsonNode storage = Http.json(http.get(core.baseUrl() + "/api/storage"));
        // mesh storage is part of every core: enabled, with nothing stored yet
        assertEquals(true, storage.path("enabled").asBoolean(false), storage.toString());
        assertEquals(0, storage.path("objects").asInt(-1), storage.toString());
    }

    @Test
    void aCheckpointWhoseSignatureDoesNotVerifyIsShownAsNotVerified() throws Exception {
        // a stand-in broker whose checkpoint was signed by the real ledger code, then its root edited
        java.security.KeyPair key = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        com.sheratan.offgrid.ledger.Checkpoint signed = com.sheratan.offgrid.ledger.Checkpoint.sign(1,
                new byte[32], java.time.Instant.now(), key);
        com.fasterxml.jackson.databind.node.ObjectNode edited = signed.toJson();
        edited.put("root_hash", "11".repeat(32));
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        serve(fake, "/ledger/checkpoint", edited::toString);
        serve(fake, "/ledger/balances", () -> "{\"tree_size\":1,\"accounts\":{},\"sum\":\"0.000000000\"}");
        fake.start();
        try {
            roles = new TestRoles(home);
            RunningRole core = roles.core(Map.of("offgrid.broker-url",
                    "http://127.0.0.1:" + fake.getAddress().getPort()));
            com.fasterxml.jackson.databind.JsonNode ledger = Http.json(http.get(core.baseUrl() + "/api/ledger"));
            assertTrue(ledger.path("enabled").asBoolean(), ledger.toString());
            assertEquals(false, ledger.path("verified").asBoolean(true), ledger.toString());
            assertTrue(ledger.path("detail").asText().contains("signature does not verify"), ledger.toString());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aLaterCheckpointWhoseTreeDoesNotExtendTheVerifiedOneIsShownAsNotVerified() throws Exception {
        // a stand-in broker with one key: a checkpoint of 1 leaf, then one of 2 leaves whose tree does not
        // start with that leaf (the log was rewritten), both validly signed
        java.security.KeyPair key = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] leaf0 = com.sheratan.offgrid.ledger.MerkleTree.leafHash("first".getBytes(StandardCharsets.UTF_8));
        byte[] other = com.sheratan.offgrid.ledger.MerkleTree.leafHash("rewritten".getBytes(StandardCharsets.UTF_8));
        byte[] leaf1 = com.sheratan.offgrid.ledger.MerkleTree.leafHash("second".getBytes(StandardCharsets.UTF_8));
        String first = com.sheratan.offgrid.ledger.Checkpoint.sign(1, leaf0, java.time.Instant.now(), key).toJson()
                .toString();
        String second = com.sheratan.offgrid.ledger.Checkpoint.sign(2,
                com.sheratan.offgrid.ledger.MerkleTree.nodeHash(other, leaf1), java.time.Instant.now(), key).toJson()
                .toString();
        java.util.concurrent.atomic.AtomicReference<String> checkpoint = new java.util.concurrent.atomic.AtomicReference<>(first);
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        serve(fake, "/ledger/checkpoint", checkpoint::get);
        serve(fake, "/ledger/balances", () -> "{\"tree_size\":1,\"accounts\":{},\"sum\":\"0.000000000\"}");
        // the honest proof for 1 -> 2 is the second leaf; it cannot make the rewritten root
        serve(fake, "/ledger/consistency", () -> "{\"first\":1,\"second\":2,\"proof\":[\""
                + java.util.HexFormat.of().formatHex(leaf1) + "\"]}");
        fake.start();
        try {
            roles = new TestRoles(home);
            RunningRole core = roles.core(Map.of("offgrid.broker-url",
                    "http://127.0.0.1:" + fake.getAddress().getPort()));
            assertTrue(Http.json(http.get(core.baseUrl() + "/api/ledger")).path("verified").asBoolean(),
                    "the first checkpoint verifies");
            checkpoint.set(second);
            com.fasterxml.jackson.databind.JsonNode ledger = Http.json(http.get(core.baseUrl() + "/api/ledger"));
            assertEquals(false, ledger.path("verified").asBoolean(true), ledger.toString());
            assertTrue(ledger.path("detail").asText().contains("the log was rewritten"), ledger.toString());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void ledgerPanelSaysNotEnabledWhenTheBrokerKeepsNoLedger() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("discovery"));
        roles = new TestRoles(home);
        RunningRole broker = roles.broker(Map.of("offgrid.broker.ledger.enabled", "false"));
        RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl()));
        com.fasterxml.jackson.databind.JsonNode ledger = Http.json(http.get(core.baseUrl() + "/api/ledger"));
        assertEquals(false, ledger.path("enabled").asBoolean(true), ledger.toString());
        assertTrue(ledger.path("detail").asText().contains("keeps no ledger"), ledger.toString());
    }

    private static void serve(com.sun.net.httpserver.HttpServer server, String path, java.util.function.Supplier<String> json) {
        server.createContext(path, exchange -> {
            byte[] body = json.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
