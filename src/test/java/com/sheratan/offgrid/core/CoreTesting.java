package com.sheratan.offgrid.core;

import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Ports;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Small helpers the core tests share: fast settings, waiting for an outcome, the log. */
final class CoreTesting {
    private CoreTesting() {
    }

    /** Core settings for a test: short retry delays and inbox ages, plus the given ones. */
    static Map<String, String> settings(String brokerUrl, String mode, String... more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("offgrid.broker-url", brokerUrl);
        settings.put("offgrid.mode", mode);
        settings.put("offgrid.core.broker-retry-delay-ms", "50");
        settings.put("offgrid.core.broker-retries", "2");
        settings.put("offgrid.core.inbox-poll-ms", "100");
        settings.put("offgrid.core.inbox-min-age-ms", "300");
        settings.put("offgrid.core.probe-cache-ms", "0");
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    /** A loopback URL where nothing listens: connection refused. */
    static String deadBrokerUrl() {
        return "http://127.0.0.1:" + Ports.free();
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        Eventually.holds(timeout, Duration.ofMillis(50), () -> {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
        });
    }
}
