package com.sheratan.offgrid.bench;

import java.util.Arrays;

/** What one load run measured: answers by kind, throughput and latency percentiles. */
public record LoadResult(String name, int clients, double seconds, long ok, long failed, long[] latenciesNanos) {

    public double perSecond() {
        return ok / seconds;
    }

    public double percentileMillis(double p) {
        if (latenciesNanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
        return sorted[index] / 1e6;
    }
}
