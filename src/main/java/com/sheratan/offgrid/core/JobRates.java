package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.time.Clock;

/**
 * Jobs per second and their mean dispatch latency, second by second, for the last
 * {@link #SECONDS} seconds: what the dashboard plots. Fixed-size arrays indexed by the epoch second,
 * so a job's outcome costs a few additions under a short lock and memory never grows.
 */
public final class JobRates {
    static final int SECONDS = 600;
    private final Clock clock;
    private final long[] second = new long[SECONDS];
    private final long[] jobs = new long[SECONDS];
    private final long[] nanos = new long[SECONDS];

    public JobRates(Clock clock) {
        this.clock = clock;
    }

    synchronized void record(long dispatchNanos) {
        long now = clock.millis() / 1000;
        int i = (int) (now % SECONDS);
        if (second[i] != now) {
            second[i] = now;
            jobs[i] = 0;
            nanos[i] = 0;
        }
        jobs[i]++;
        nanos[i] += dispatchNanos;
    }

    /** {@code {t:[epoch s…], jobs:[…], latency_ms:[…]}} for the last {@code count} whole seconds, oldest first. */
    public synchronized ObjectNode lastSeconds(int count) {
        long now = clock.millis() / 1000;
        ObjectNode out = Json.object();
        ArrayNode t = out.putArray("t");
        ArrayNode n = out.putArray("jobs");
        ArrayNode latency = out.putArray("latency_ms");
        for (long s = now - Math.min(count, SECONDS - 1); s < now; s++) {
            int i = (int) (s % SECONDS);
            boolean current = second[i] == s;
            long count1 = current ? jobs[i] : 0;
            t.add(s);
            n.add(count1);
            if (count1 > 0) {
                latency.add(Math.round(nanos[i] / (double) count1 / 1e4) / 100.0);
            } else {
                latency.addNull();
            }
        }
        return out;
    }
}
