package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sheratan.offgrid.testing.Http;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 6: one host answers its quotes only after 10 s. Auctions still finish within the quote
 * timeout (they go to the healthy host) and the broker's /status stays responsive meanwhile.
 */
@Tag("drill")
class SlowHostDrillTest {
    @TempDir
    Path home;

    @Test
    void aSlowHostCostsOneQuoteTimeoutAndTheBrokerStaysResponsive() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            byte[] body;
            if (exchange.getRequestURI().getPath().equals("/status")) {
                body = "{\"status\":\"ok\",\"node_id\":\"host-slow\",\"active\":true,\"kinds\":[\"echo\"]}".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
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
            mesh.brokerInJvm(Map.of("offgrid.broker.quote-timeout-ms", "2000"));
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));
            Http http = new Http();

            ExecutorService clients = Executors.newFixedThreadPool(jobs);
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String body = "{\"job_id\":\"drill6-" + i + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}";
                answers.add(clients.submit(() -> {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.postJson(mesh.coreUrl() + "/api/jobs", body);
                    return new long[] {r.statusCode(), (System.nanoTime() - t0) / 1_000_000,
                        r.body().contains("host-b") ? 1 : 0};
                }));
            }
            long slowestStatus = 0;
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                assertEquals(200, http.get(mesh.brokerUrl() + "/status").statusCode());
                slowestStatus = Math.max(slowestStatus, (System.nanoTime() - t0) / 1_000_000);
                JobAudit.sleep(50);
            }
            long slowestJob = 0;
            for (Future<long[]> f : answers) {
                long[] a = f.get();
                assertEquals(200, a[0], "job completes through the mesh");
                assertEquals(1, a[2], "the healthy host ran it");
                slowestJob = Math.max(slowestJob, a[1]);
            }
            clients.shutdown();
            System.out.println("drill 6 (slow host): " + jobs + " jobs, slowest job " + slowestJob
                    + " ms, slowest broker /status " + slowestStatus + " ms");
            assertTrue(slowestJob < 8_000, "auctions finish within the quote timeout, not the slow host's 10 s: " + slowestJob);
            assertTrue(slowestStatus < 1_000, "broker /status stays responsive: " + slowestStatus + " ms");
        } finally {
            slow.stop(0);
        }
    }
}
