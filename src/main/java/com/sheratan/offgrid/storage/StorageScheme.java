package com.sheratan.offgrid.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an object is coded (SPEC 13): {@code k} data shards and {@code m} parity shards, any {@code k}
 * of the {@code n = k + m} rebuild it; each shard on a different host. {@code replicate-R} is
 * {@code rs-1-(R-1)}: every shard a full copy.
 */
public record StorageScheme(int k, int m) {
    private static final Pattern RS = Pattern.compile("rs-(\\d{1,3})-(\\d{1,3})");
    private static final Pattern REPLICATE = Pattern.compile("replicate-(\\d{1,3})");
    public static final String AUTO = "auto";
    /** auto never spreads an object over more hosts than this */
    public static final int AUTO_MAX_HOSTS = 6;

    public StorageScheme {
        if (k < 1 || m < 0 || k + m > 256) {
            throw new IllegalArgumentException("a scheme needs k >= 1, m >= 0 and k + m <= 256, was k=" + k + " m=" + m);
        }
    }

    public int n() {
        return k + m;
    }

    /**
     * {@code offgrid.storage.scheme}: {@code auto} (null: decided per object from the hosts), {@code rs-K-M}
     * or {@code replicate-R}.
     *
     * @throws IllegalArgumentException naming the valid forms
     */
    public static StorageScheme parse(String setting) {
        String value = setting == null ? "" : setting.strip();
        if (value.equals(AUTO)) {
            return null;
        }
        Matcher rs = RS.matcher(value);
        if (rs.matches()) {
            return new StorageScheme(Integer.parseInt(rs.group(1)), Integer.parseInt(rs.group(2)));
        }
        Matcher replicate = REPLICATE.matcher(value);
        if (replicate.matches() && Integer.parseInt(replicate.group(1)) >= 1) {
            return new StorageScheme(1, Integer.parseInt(replicate.group(1)) - 1);
        }
        throw new IllegalArgumentException("offgrid.storage.scheme must be auto, rs-K-M or replicate-R, was '" + value + "'");
    }

    /** auto: n = min(active hosts, 6), m = max(1, n / 3), k = n - m; null with fewer than 2 hosts. */
    public static StorageScheme auto(int activeHosts) {
        int n = Math.min(activeHosts, AUTO_MAX_HOSTS);
        if (n < 2) {
            return null;
        }
        int m = Math.max(1, n / 3);
        return new StorageScheme(n - m, m);
    }
}
