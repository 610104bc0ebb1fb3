package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ReplayGuard;
import com.sheratan.offgrid.security.RequestVerifier;
import com.sheratan.offgrid.security.SignatureError;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in broker for core tests, on a free loopback port: {@code POST /auction} checks the
 * signature with the project's own {@link RequestVerifier} (401 like the real one when it fails),
 * answers a body that is no Offgrid request (the core's status probe) with 400 {@code invalid_job} like
 * the real one, records every other genuine request, and answers what the test scripted (by default a
 * completed echo).
 */
final class TestBroker implements AutoCloseable {
    /** One answer: HTTP status and JSON body. */
    record Answer(int status, String body) {
    }

    /** One request that passed the signature check. */
    record Seen(JsonNode body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final RequestVerifier verifier;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<SignatureError> refused = new CopyOnWriteArrayList<>();
    private volatile Function<Seen, Answer> script = TestBroker::completed;

    TestBroker(AuthKeys keys) {
        this.verifier = new RequestVerifier(keys, SignedHeaders.BROKER_AUDIENCE, new ReplayGuard(600), Clock.systemUTC());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/auction", this::auction);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** A broker with the development key set every test role uses. */
    TestBroker() {
        this(AuthKeys.parse("shared-secret", "", "default"));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    TestBroker answering(Function<Seen, Answer> script) {
        this.script = script;
        return this;
    }

    List<Seen> seen() {
        return seen;
    }

    List<SignatureError> refused() {
        return refused;
    }

    static Answer completed(Seen request) {
        ObjectNode answer = Json.mapper().createObjectNode();
        String jobId = request.body().path("job_id").asText();
        answer.put("status", "completed");
        answer.put("ok", true);
        answer.put("host", "http://127.0.0.1:8081");
        answer.put("node_id", "host-a");
        answer.put("quote", 0.1);
        answer.put("output", request.body().path("job").path("args").path("text").asText());
        answer.putObject("result").put("ok", true).put("job_id", jobId).put("output", "echoed");
        answer.putObject("receipt").put("version", "1").put("node_id", "host-a").put("job_id", jobId);
        answer.put("req_id", request.body().path("req_id").asText());
        answer.putObject("auction").put("winner", "host-a").putArray("tried").add("host-a");
        return new Answer(200, answer.toString());
    }

    static Answer noHosts(Seen request) {
        return new Answer(503, "{\"error\":\"no_hosts_available\",\"req_id\":\""
                + request.body().path("req_id").asText() + "\",\"tried\":[]}");
    }

    private void auction(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        if (exchange.getRequestURI().getRawQuery() != null) {
            path += "?" + exchange.getRequestURI().getRawQuery();
        }
        Optional<SignatureError> error = verifier.verify(exchange.getRequestMethod(), path,
                name -> exchange.getRequestHeaders().getFirst(name), body);
        if (error.isPresent()) {
            refused.add(error.get());
            exchange.getResponseHeaders().add("WWW-Authenticate", SignedHeaders.CHALLENGE);
            respond(exchange, new Answer(401, "{\"error\":\"" + error.get().code() + "\"}"));
            return;
        }
        Seen request = new Seen(Json.mapper().readTree(body), Map.copyOf(exchange.getRequestHeaders()));
        if (!request.body().path("job").isObject()) {
            // like the real broker: a body that is no Offgrid request (the core's status probe) is a 400
            respond(exchange, new Answer(400, "{\"error\":\"invalid_job\",\"detail\":\"job is missing\"}"));
            return;
        }
        seen.add(request);
        respond(exchange, script.apply(request));
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
