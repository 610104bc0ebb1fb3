package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The broker's settings (application.properties, broker section), read once at start. The timer
 * periods ({@code healthInterval}, {@code reputationFlush}) are used by the routes' placeholders
 * and read here so that a nonsense value stops the broker instead of a timer firing only once.
 */
public record BrokerSettings(Path discoveryFile, Duration discoveryCheck, List<String> fallbackHosts, Path stateDir,
                             Duration quoteTimeout, Duration runTimeout, int redundancy,
                             Duration recentFailureWindow, Duration healthInterval, Duration healthTimeout,
                             Duration reputationFlush, int httpThreads, int maxConcurrentAuctions, int resultsKept,
                             int resultsBytes, long replayWindowSeconds, int maxAnswerBytes) {

    /** {@code property} resolves a key the way {@code {{placeholders}}} do. */
    public static BrokerSettings from(Function<String, String> property) {
        return new BrokerSettings(
                Path.of(property.apply("offgrid.broker.discovery-file")),
                millis(property, "offgrid.broker.discovery-check-ms"),
                Arrays.stream(property.apply("offgrid.broker.fallback-hosts").split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList(),
                Path.of(property.apply("offgrid.broker.state-dir")),
                millis(property, "offgrid.broker.quote-timeout-ms"),
                millis(property, "offgrid.broker.run-timeout-ms"),
                Math.max(1, number(property, "offgrid.broker.redundancy")),
                Duration.ofSeconds(number(property, "offgrid.broker.recent-failure-window-seconds")),
                millis(property, "offgrid.broker.health-interval-ms"),
                millis(property, "offgrid.broker.health-timeout-ms"),
                millis(property, "offgrid.broker.reputation-flush-ms"),
                Math.max(4, number(property, "offgrid.broker.http-threads")),
                Math.max(1, number(property, "offgrid.broker.max-concurrent-auctions")),
                Math.max(1, number(property, "offgrid.broker.results-kept")),
                Math.max(1, number(property, "offgrid.broker.results-bytes")),
                number(property, "offgrid.replay-window-seconds"),
                Math.max(1024, number(property, "offgrid.broker.max-answer-bytes")));
    }

    private static Duration millis(Function<String, String> property, String key) {
        int millis = number(property, key);
        if (millis <= 0) {
            throw new IllegalStateException("setting '" + key + "' must be a positive number of milliseconds, was " + millis);
        }
        return Duration.ofMillis(millis);
    }

    private static int number(Function<String, String> property, String key) {
        return SettingValues.intNumber(key, property.apply(key));
    }
}
