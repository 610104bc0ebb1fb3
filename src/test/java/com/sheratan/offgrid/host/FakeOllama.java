package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A stand-in for an Ollama endpoint on loopback: answers {@code POST /api/generate} with "answer to: <prompt>". */
final class FakeOllama implements AutoCloseable {
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    FakeOllama() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/generate", exchange -> {
            JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ObjectNode answer = Json.mapper().createObjectNode();
            answer.put("model", request.path("model").asText());
            answer.put("response", "answer to: " + request.path("prompt").asText());
            answer.put("done", true);
            answer.putArray("context").add(1).add(2);
            byte[] bytes = Json.mapper().writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Holds every answer until the returned latch is counted down. */
    CountDownLatch hold() {
        gate = new CountDownLatch(1);
        return gate;
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
