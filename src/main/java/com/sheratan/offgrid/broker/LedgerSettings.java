package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.SettingValues;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Function;

/**
 * The cost ledger's settings (application.properties, {@code offgrid.broker.ledger.*}): whether the
 * broker keeps a ledger at all, the share of each charge that goes to the reserve, how often a
 * grown log gets a signed checkpoint, and where it is kept: {@code store} = {@code file} (the state
 * folder) or {@code postgres} (at {@code jdbc-url} as {@code jdbc-user}/{@code jdbc-password}, SPEC 15).
 */
public record LedgerSettings(boolean enabled, BigDecimal reserveRate, Duration checkpointInterval, String store,
                             String jdbcUrl, String jdbcUser, String jdbcPassword) {
    public static final String FILE = "file";
    public static final String POSTGRES = "postgres";

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
        String store = property.apply("offgrid.broker.ledger.store").strip();
        if (!store.equals(FILE) && !store.equals(POSTGRES)) {
            throw new IllegalStateException("setting 'offgrid.broker.ledger.store' must be file or postgres, was '"
                    + store + "'");
        }
        String url = given(property, "offgrid.broker.ledger.jdbc-url").strip();
        if (store.equals(POSTGRES) && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("offgrid.broker.ledger.store=postgres needs offgrid.broker.ledger.jdbc-url, a URL"
                    + " like jdbc:postgresql://127.0.0.1:5432/offgrid; it is '" + safeUrl(url) + "'");
        }
        return new LedgerSettings(Boolean.parseBoolean(enabled), rate, Duration.ofMillis(interval), store, url,
                given(property, "offgrid.broker.ledger.jdbc-user"), given(property, "offgrid.broker.ledger.jdbc-password"));
    }

    /** A setting that may be empty (the file ledger needs no database): "" when it has no value. */
    private static String given(Function<String, String> property, String key) {
        try {
            String value = property.apply(key);
            return value == null ? "" : value;
        } catch (IllegalStateException empty) {
            return "";
        }
    }

    public boolean onPostgres() {
        return POSTGRES.equals(store);
    }

    /** The JDBC URL as messages show it: a password given in it is masked. */
    public String safeUrl() {
        return safeUrl(jdbcUrl);
    }

    private static String safeUrl(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /** No password in a printed record. */
    @Override
    public String toString() {
        return "LedgerSettings[enabled " + enabled + ", reserve " + reserveRate + ", " + store
                + (onPostgres() ? " " + safeUrl() : "") + "]";
    }
}
