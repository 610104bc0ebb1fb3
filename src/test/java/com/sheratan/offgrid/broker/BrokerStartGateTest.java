package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker being restarted never answers {@code POST /auction} with the 404 of a route not started
 * (or already stopped), which a core takes for a broker error and queues the job: until its routes
 * all run, and once they stop, it answers 503 {@code starting}, which a core retries with the same attempt.
 */
class BrokerStartGateTest {
    @TempDir
    Path home;

    @Test
    void aStartingOrStoppingBrokerAnswers503NeverA404() throws Exception {
        int port = Ports.free();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest auction = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/auction"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            while (!stopped.get()) {
                try {
                    HttpResponse<String> answer = client.send(auction, HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                } catch (java.io.IOException e) {
                    // not listening (yet, or any more)
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "auction-caller");
        caller.start();
        try (TestRoles roles = new TestRoles(home)) {
            for (int round = 0; round < 3; round++) {
                RunningRole broker = roles.broker(Map.of("offgrid.broker.port", String.valueOf(port)));
                int before = statuses.getOrDefault(401, new AtomicInteger()).get();
                Eventually.holds(Duration.ofSeconds(10), () -> assertTrue(
                        statuses.getOrDefault(401, new AtomicInteger()).get() > before, "the started broker answers"));
                roles.stop(broker);
            }
        } finally {
            stopped.set(true);
            caller.join(10_000);
        }
        assertFalse(statuses.containsKey(404), "answers while starting or stopping: " + statuses);
        // a request already inside the auction route when the stop begins can still end 500 (seen once
        // in 67 under load): left as a known gap in issue 24's note, not hidden as a 503 here
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 401 || s == 503 || s == 500), "answers: " + statuses);
    }
}
