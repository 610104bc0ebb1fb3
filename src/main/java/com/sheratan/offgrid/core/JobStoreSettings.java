package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.SettingValues;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where the core keeps its jobs (SPEC 15): {@code offgrid.core.job-store} = {@code file} (the embedded
 * H2 store in the state folder, one core) or {@code postgres} (a PostgreSQL database several cores
 * share, at {@code offgrid.core.jdbc-url} as {@code jdbc-user}/{@code jdbc-password}). A job a core
 * left {@code dispatching} is taken over by another once {@code dispatch-lease-ms} passed without
 * that core renewing its lease (every {@code dispatch-lease-renew-ms}).
 */
public record JobStoreSettings(String kind, String jdbcUrl, String jdbcUser, String jdbcPassword, long leaseMs,
                               long leaseRenewMs) {
    public static final String FILE = "file";
    public static final String POSTGRES = "postgres";

    public JobStoreSettings {
        if (!FILE.equals(kind) && !POSTGRES.equals(kind)) {
            throw new IllegalStateException("offgrid.core.job-store '" + kind + "' is not a job store; use one of "
                    + FILE + "|" + POSTGRES);
        }
        if (POSTGRES.equals(kind) && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("offgrid.core.job-store=postgres needs offgrid.core.jdbc-url, a URL like"
                    + " jdbc:postgresql://127.0.0.1:5432/offgrid; it is '" + safeUrl(jdbcUrl) + "'");
        }
        if (POSTGRES.equals(kind) && leaseRenewMs * 2 > leaseMs) {
            throw new IllegalStateException("offgrid.core.dispatch-lease-renew-ms (" + leaseRenewMs + ") must be at most"
                    + " half of offgrid.core.dispatch-lease-ms (" + leaseMs + "), or a live core's jobs are taken over");
        }
    }

    static JobStoreSettings from(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        return new JobStoreSettings(
                properties.resolveProperty("offgrid.core.job-store").orElse(FILE).trim(),
                properties.resolveProperty("offgrid.core.jdbc-url").orElse("").trim(),
                properties.resolveProperty("offgrid.core.jdbc-user").orElse(""),
                properties.resolveProperty("offgrid.core.jdbc-password").orElse(""),
                SettingValues.wholeNumber("offgrid.core.dispatch-lease-ms",
                        properties.resolveProperty("offgrid.core.dispatch-lease-ms").orElse("30000")),
                SettingValues.wholeNumber("offgrid.core.dispatch-lease-renew-ms",
                        properties.resolveProperty("offgrid.core.dispatch-lease-renew-ms").orElse("10000")));
    }

    boolean shared() {
        return POSTGRES.equals(kind);
    }

    /** The JDBC URL as logs and errors show it: a password given in it is masked. */
    String safeUrl() {
        return safeUrl(jdbcUrl);
    }

    private static String safeUrl(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /** No password in a printed record either. */
    @Override
    public String toString() {
        return "JobStoreSettings[" + kind + ", " + safeUrl() + ", user " + jdbcUser + ", lease " + leaseMs + " ms]";
    }
}
