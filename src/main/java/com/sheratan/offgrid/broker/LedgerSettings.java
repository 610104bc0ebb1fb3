package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.SettingValues;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Function;

/**
 * The cost ledger's settings (application.properties, {@code offgrid.broker.ledger.*}): whether the
 * broker keeps a ledger at all, the share of each charge that goes to the reserve, and how often a
 * grown log gets a signed checkpoint.
 */
public record LedgerSettings(boolean enabled, BigDecimal reserveRate, Duration checkpointInterval) {

    public static LedgerSettings from(Function<String, String> property) {
        String enabled = property.apply("offgrid.broker.ledger.enabled").strip();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new IllegalStateException("setting 'offgrid.broker.ledger.enabled' must be true or false, was '"
                    + enabled + "'");
        }
        String rateText = property.apply("offgrid.broker.ledger.reserve-rate").strip();
        BigDecimal rate;
        try {
            rate = new BigDecimal(rateText);
        } catch (NumberFormatException e) {
            rate = null;
        }
        if (rate == null || rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalStateException("setting 'offgrid.broker.ledger.reserve-rate' must be a decimal between 0"
                    + " and 1, was '" + rateText + "'");
        }
        String key = "offgrid.broker.ledger.checkpoint-interval-ms";
        int interval = SettingValues.intNumber(key, property.apply(key));
        if (interval <= 0) {
            throw new IllegalStateException("setting '" + key + "' must be a positive number of milliseconds, was "
                    + interval);
        }
        return new LedgerSettings(Boolean.parseBoolean(enabled), rate, Duration.ofMillis(interval));
    }
}
