package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.RoleProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final byte[] TRICKLED = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path home;

    @Test
    void brokerKeepsAnsweringAndClosesEveryFloodConnection() throws Exception {
        int flood = JobAudit.scale(1_000, 12_000);
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            RoleProcess broker = mesh.brokerProcess(Map.of(
                    "offgrid.http.max-connections", String.valueOf(MAX_CONNECTIONS),
                    "offgrid.http.header-timeout-ms", "2000"));
            URI brokerUri = URI.create(mesh.brokerUrl());
            InetSocketAddress address = new InetSocketAddress(brokerUri.getHost(), brokerUri.getPort());

            List<Socket> sockets = new ArrayList<>();
            AtomicBoolean flooding = new AtomicBoolean(true);
            StatusProbe probe = new StatusProbe(address, flooding);
            Thread prober = new Thread(probe, "status-probe");
            prober.start();
            Thread trickler = null;
            try {
                for (int i = 0; i < flood; i++) {
                    Socket socket = new Socket();
                    socket.connect(address, 5_000);
                    sockets.add(socket);
                }
                List<Socket> trickling = sockets.subList(0, sockets.size() / 2);
                trickler = new Thread(() -> trickle(trickling, flooding), "trickler");
                trickler.start();

                // every flood connection ends closed by the broker: a read sees the end of the stream
                Eventually.holds(Duration.ofSeconds(120), Duration.ofMillis(500), () ->
                        assertEquals(0, stillOpen(sockets), "flood connections the broker has not closed"));
            } finally {
                flooding.set(false);
                prober.join();
                if (trickler != null) {
                    trickler.join();
                }
                for (Socket socket : sockets) {
                    socket.close();
                }
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

    /** Flood connections the broker has not closed yet (a read that times out means open). */
    private static int stillOpen(List<Socket> sockets) {
        int open = 0;
        for (Socket socket : sockets) {
            if (!socket.isInputShutdown() && !closedByPeer(socket)) {
                open++;
            }
        }
        return open;
    }

    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    socket.shutdownInput();
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the broker
        }
    }

    /** One more byte of the request head to each trickling socket, every 200 ms, while the flood lasts. */
    private static void trickle(List<Socket> sockets, AtomicBoolean flooding) {
        int[] sent = new int[sockets.size()];
        while (flooding.get()) {
            for (int i = 0; i < sockets.size(); i++) {
                try {
                    sockets.get(i).getOutputStream().write(TRICKLED[sent[i]++ % TRICKLED.length]);
                } catch (IOException closed) {
                    // the broker closed it: what the drill expects
                }
            }
            pause(200);
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
        private final InetSocketAddress address;
        private final AtomicBoolean flooding;

        StatusProbe(InetSocketAddress address, AtomicBoolean flooding) {
            this.address = address;
            this.flooding = flooding;
        }

        private static int statusOverFreshConnection(InetSocketAddress address) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(address, 5_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
            }
        }

        @Override
        public void run() {
            while (flooding.get()) {
                long t0 = System.nanoTime();
                asked.incrementAndGet();
                try {
                    if (statusOverFreshConnection(address) == 200) {
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
