package com.sheratan.offgrid.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * The meter registry of one role: the one camel-micrometer-prometheus scrapes on
 * {@code /observe/metrics}. Each role has its own (several roles share a JVM in the local mesh), so
 * it is bound in the role's Camel registry under the name Camel's Prometheus service looks up.
 */
public final class RoleMeters {
    /** The name camel-micrometer binds and looks up its registry by. */
    public static final String REGISTRY = "metricsRegistry";

    private RoleMeters() {
    }

    /** The role's registry, made and bound on first use. */
    public static MeterRegistry of(CamelContext context) {
        Object found = context.getRegistry().lookupByName(REGISTRY);
        if (found instanceof MeterRegistry registry) {
            return registry;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(REGISTRY, registry);
        return registry;
    }

    /**
     * A latency histogram: buckets from 1 ms to 2 minutes (the longest dispatch is ~75 s), enough for
     * {@code histogram_quantile} without a bucket per microsecond.
     */
    public static Timer.Builder latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2));
    }
}
