package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.IdleConnections;
import com.sheratan.offgrid.testing.RoleProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 7: a connection flood against the broker (a separate process). Half the flood opens
 * connections and sends nothing; the other half trickles a request's headers one byte at a time.
 * Meanwhile a client asks {@code GET /status} over fresh connections: every one must be answered, and
 * the broker must close every flood connection itself (the header timeout or the connection limit),
 * so its open files stay bounded however long the flood lasts.
 */
@Tag("drill")
class ConnectionFloodDrillTest {
    private static final int MAX_CONNECTIONS = 200;

    @TempDir
    Path home;

    @Test
    void brokerKeepsAnsweringAndClosesEveryFloodConnection() throws Exception {
        int flood = JobAudit.scale(1_000, 12_000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            RoleProcess broker = mesh.brokerProcess(Map.of(
                    "offgrid.http.max-connections", String.valueOf(MAX_CONNECTIONS),
                    "offgrid.http.header-timeout-ms", "2000"));
            AtomicBoolean flooding = new AtomicBoolean(true);
            StatusProbe probe = new StatusProbe(mesh.brokerUrl(), flooding);
            Thread prober = new Thread(probe, "status-probe");
            prober.start();
            try (IdleConnections connections = IdleConnections.open(mesh.brokerUrl(), flood)) {
                // half the flood trickles a request head, a byte every 200 ms, while the flood lasts
                Thread trickler = new Thread(() -> {
                    while (flooding.get()) {
                        connections.trickle(flood / 2);
                        pause(200);
                    }
                }, "trickler");
                trickler.start();
                try {
                    // every flood connection ends closed by the broker: a read sees the end of the stream
                    Eventually.holds(Duration.ofSeconds(120), Duration.ofMillis(500), () ->
                            assertEquals(0, connections.stillOpen(), "flood connections the broker has not closed"));
                } finally {
                    flooding.set(false);
                    trickler.join();
                }
            } finally {
                flooding.set(false);
                prober.join();
            }
            long rssMiB = broker.residentKiB() / 1024;
            System.out.printf("drill 7 (connection flood): %d connections (half trickling), limit %d;"
                            + " /status asked %d times, answered %d, slowest %d ms; broker RSS %d MiB%n",
                    flood, MAX_CONNECTIONS, probe.asked.get(), probe.answered.get(), probe.slowestMillis.get(), rssMiB);
            assertTrue(probe.asked.get() > 0, "the probe ran during the flood");
            assertEquals(probe.asked.get(), probe.answered.get(), "every /status during the flood is answered 200");
            assertEquals(200, new Http().get(mesh.brokerUrl() + "/status").statusCode());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks {@code /status} every 100 ms over a fresh connection and counts the 200 answers. */
    private static final class StatusProbe implements Runnable {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicLong slowestMillis = new AtomicLong();
        private final String baseUrl;
        private final AtomicBoolean flooding;

        StatusProbe(String baseUrl, AtomicBoolean flooding) {
            this.baseUrl = baseUrl;
            this.flooding = flooding;
        }

        @Override
        public void run() {
            while (flooding.get()) {
                long t0 = System.nanoTime();
                asked.incrementAndGet();
                try {
                    if (IdleConnections.statusOverFreshConnection(baseUrl) == 200) {
                        answered.incrementAndGet();
                    }
                } catch (IOException e) {
                    System.out.println("drill 7: /status during the flood failed: " + e);
                }
                slowestMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                pause(100);
            }
        }
    }
}
