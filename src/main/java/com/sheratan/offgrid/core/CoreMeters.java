package com.sheratan.offgrid.core;

import com.sheratan.offgrid.observe.RoleMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.Exchange;

/**
 * The core's domain meters (SPEC 14): jobs by intake, method, status and reason, the dispatch latency
 * histogram, and the inbox and file-queue depth. A job's outcome costs a counter and a timer update;
 * the depths are counted only when the metrics are scraped. The dashboard's rates and events are fed here.
 */
public final class CoreMeters {
    private final MeterRegistry registry;
    private final JobRates rates;
    private final JobEvents events;

    public CoreMeters(MeterRegistry registry, Path inboxDir, Path fileQueueDir, JobRates rates, JobEvents events) {
        this.registry = registry;
        this.rates = rates;
        this.events = events;
        Gauge.builder("offgrid.inbox.depth", inboxDir, dir -> depth(dir, ".json"))
                .description("job files waiting in the inbox").register(registry);
        Gauge.builder("offgrid.file_queue.depth", fileQueueDir, dir -> depth(dir, ".job.json"))
                .description("jobs in the file queue for the local worker").register(registry);
    }

    /** One job's dispatch ended: {@code reason} is cut to its code (no free text in a label). */
    public void outcome(Exchange exchange, String method, JobStatus status, String reason) {
        String intake = exchange.getProperty(CoreExchange.INTAKE, "unknown", String.class);
        Counter.builder("offgrid.jobs").description("jobs by intake, method, status and reason")
                .tags("intake", intake, "method", method, "status", status.value(), "reason", code(reason))
                .register(registry).increment();
        Long started = exchange.getProperty(CoreExchange.STARTED_NANOS, Long.class);
        long nanos = started == null ? 0 : System.nanoTime() - started;
        RoleMeters.latency("offgrid.dispatch", "from admission to the job's outcome")
                .tags("method", method, "status", status.value()).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        rates.record(nanos);
        events.published(exchange.getProperty(CoreExchange.JOB_ID, String.class), status.value(), method, reason);
    }

    static String code(String reason) {
        if (reason == null || reason.isBlank()) {
            return "none";
        }
        String code = reason.split("[:\\s(]", 2)[0];
        return code.length() > 48 ? code.substring(0, 48) : code;
    }

    /** Files with this ending directly in the folder; -1 when the folder cannot be read. */
    static double depth(Path dir, String ending) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(ending) && !name.startsWith(".");
            }).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
