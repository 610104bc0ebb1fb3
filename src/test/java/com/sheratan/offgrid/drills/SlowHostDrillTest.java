package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 6: one host takes every quote request and never answers while the drill runs. Every auction
 * still completes, on the healthy host, while the slow host's quotes are all still unanswered, and the
 * broker's /status answers with the auctions it holds meanwhile.
 */
@Tag("drill")
class SlowHostDrillTest {
    @TempDir
    Path home;

    @Test
    void aSlowHostIsPassedOverAndTheBrokerStaysResponsive() throws Exception {
        CountDownLatch drillOver = new CountDownLatch(1);
        AtomicInteger quotesAsked = new AtomicInteger();
        AtomicInteger quotesAnswered = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            byte[] body;
            if (exchange.getRequestURI().getPath().equals("/status")) {
                body = "{\"status\":\"ok\",\"node_id\":\"host-slow\",\"active\":true,\"kinds\":[\"echo\"]}".getBytes(StandardCharsets.UTF_8);
            } else {
                quotesAsked.incrementAndGet();
                try {
                    drillOver.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                quotesAnswered.incrementAndGet();
                body = ("{\"quote\":0.0001,\"host\":\"http://127.0.0.1:" + exchange.getLocalAddress().getPort()
                        + "\",\"node_id\":\"host-slow\"}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        int jobs = JobAudit.scale(20, 100);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            mesh.writeDiscovery(slow.getAddress().getPort(), mesh.layout.hostBPort());
            mesh.hostInJvm("host-b", Map.of());
            mesh.brokerInJvm(Map.of("offgrid.broker.quote-timeout-ms", "5000"));
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));
            Http http = new Http();

            ExecutorService clients = Executors.newFixedThreadPool(jobs);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String body = "{\"job_id\":\"drill6-" + i + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}";
                answers.add(clients.submit(() -> http.postJson(mesh.coreUrl() + "/api/jobs", body)));
            }
            // every auction waits on the slow host's quote: /status answers and counts them
            Eventually.holds(Duration.ofSeconds(30), () -> assertEquals(jobs, quotesAsked.get()));
            HttpResponse<String> status = http.get(mesh.brokerUrl() + "/status");
            assertEquals(200, status.statusCode());
            assertTrue(Http.json(status).path("auctions").path("in_flight").asInt() > 0, status.body());

            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode(), "job completes through the mesh: " + response.body());
                assertTrue(response.body().contains("host-b"), "the healthy host ran it: " + response.body());
            }
            clients.shutdown();
            assertEquals(0, quotesAnswered.get(), "every auction completed without the slow host's answer");
            System.out.println("drill 6 (slow host): " + jobs + " jobs completed on host-b, "
                    + quotesAsked.get() + " quotes of the slow host unanswered");
        } finally {
            drillOver.countDown();
            slow.stop(0);
        }
    }
}
