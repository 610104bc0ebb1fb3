package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;

/**
 * Successes, failures, the last failure and the recent failures of every host, keyed by host URL,
 * kept in {@code <state-dir>/reputation.json} across restarts. Changes are written by the flush
 * timer route and when the broker stops, atomically (temporary file, then rename).
 */
public final class ReputationBook extends ServiceSupport {
    private static final Logger LOG = EscapingLogger.of(ReputationBook.class);
    /** Enough to count recent failures of a flapping host without growing without bound. */
    private static final int MAX_RECENT = 1000;

    private final Path file;
    private final Duration recentWindow;
    private final Clock clock;
    private final Map<String, Entry> byHost = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();

    public ReputationBook(Path stateDir, Duration recentWindow, Clock clock) {
        this.file = stateDir.resolve("reputation.json");
        this.recentWindow = recentWindow;
        this.clock = clock;
    }

    /** One host's record as {@code /hosts} shows it. */
    public record Reputation(long successes, long failures, String lastFailureAt, String lastFailure,
                             int recentFailures) {
    }

    public void success(String host) {
        entry(host).success();
        dirty.set(true);
    }

    public void failure(String host, String reason) {
        entry(host).failure(clock.millis(), reason);
        dirty.set(true);
    }

    public int recentFailures(String host) {
        Entry entry = byHost.get(host);
        return entry == null ? 0 : entry.recent(clock.millis() - recentWindow.toMillis());
    }

    public Reputation of(String host) {
        Entry entry = byHost.get(host);
        if (entry == null) {
            return new Reputation(0, 0, null, null, 0);
        }
        return entry.snapshot(clock.millis() - recentWindow.toMillis());
    }

    private Entry entry(String host) {
        return byHost.computeIfAbsent(host, h -> new Entry());
    }

    @Override
    protected void doStart() {
        load();
    }

    @Override
    protected void doStop() {
        flush();
    }

    /** Writes the book when something changed since the last write. */
    public synchronized void flush() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        ObjectNode hosts = Json.mapper().createObjectNode();
        byHost.forEach((host, entry) -> hosts.set(host, entry.toJson()));
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("hosts", hosts);
        try {
            AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                    AtomicFile.Sync.DURABLE);
        } catch (IOException e) {
            dirty.set(true);
            LOG.warn("cannot write host reputation to {}: {} (kept in memory, retried on the next flush)", file, e.toString());
        }
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode hosts = Json.mapper().readTree(file.toFile()).path("hosts");
            hosts.properties().forEach(field -> byHost.put(field.getKey(), Entry.fromJson(field.getValue())));
            LOG.info("host reputation of {} host(s) loaded from {}", byHost.size(), file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read host reputation from {} ({}); starting with a clean record", file, e.toString());
        }
    }

    private static final class Entry {
        private long successes;
        private long failures;
        private long lastFailureMillis;
        private String lastFailure;
        private final Deque<Long> recentFailureMillis = new ArrayDeque<>();

        synchronized void success() {
            successes++;
        }

        synchronized void failure(long nowMillis, String reason) {
            failures++;
            lastFailureMillis = nowMillis;
            lastFailure = reason;
            recentFailureMillis.addLast(nowMillis);
            if (recentFailureMillis.size() > MAX_RECENT) {
                recentFailureMillis.removeFirst();
            }
        }

        synchronized int recent(long sinceMillis) {
            while (!recentFailureMillis.isEmpty() && recentFailureMillis.peekFirst() < sinceMillis) {
                recentFailureMillis.removeFirst();
            }
            return recentFailureMillis.size();
        }

        synchronized Reputation snapshot(long sinceMillis) {
            return new Reputation(successes, failures,
                    lastFailureMillis == 0 ? null : Instant.ofEpochMilli(lastFailureMillis).toString(),
                    lastFailure, recent(sinceMillis));
        }

        synchronized ObjectNode toJson() {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("successes", successes);
            node.put("failures", failures);
            node.put("last_failure_ms", lastFailureMillis);
            node.put("last_failure", lastFailure);
            ArrayNode recent = node.putArray("recent_failure_ms");
            recentFailureMillis.forEach(recent::add);
            return node;
        }

        static Entry fromJson(JsonNode node) {
            Entry entry = new Entry();
            entry.successes = node.path("successes").asLong();
            entry.failures = node.path("failures").asLong();
            entry.lastFailureMillis = node.path("last_failure_ms").asLong();
            entry.lastFailure = node.path("last_failure").isTextual() ? node.path("last_failure").asText() : null;
            for (Iterator<JsonNode> it = node.path("recent_failure_ms").elements(); it.hasNext(); ) {
                entry.recentFailureMillis.addLast(it.next().asLong());
            }
            return entry;
        }
    }
}
