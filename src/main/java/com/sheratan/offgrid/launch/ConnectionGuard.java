package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.Settings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Keeps a role's HTTP server serving while clients hold connections open without using them: a
 * connection must send its first request's headers within {@code header-timeout-ms}, a request's
 * body must arrive whole within {@code body-timeout-ms}, and a connection with no request in
 * progress is closed after {@code idle-timeout-ms}. At most {@code max-connections} are open: a
 * connection over the limit makes room by closing the one that has waited longest without a request
 * in progress; when every open connection is busy with a request, the new one is closed instead.
 * <p>
 * Vert.x's own {@code idleTimeout} is not used: it counts silence on the socket, and a core waiting
 * a minute for a slow auction's answer is silent too. These timeouts count only the time a
 * connection is not being answered. A sweep every {@link #tick} checks them; a timeout is exact to a tick.
 */
final class ConnectionGuard {
    private static final Logger LOG = EscapingLogger.of(ConnectionGuard.class);
    static final String MAX_CONNECTIONS = "offgrid.http.max-connections";
    static final String HEADER_TIMEOUT = "offgrid.http.header-timeout-ms";
    static final String BODY_TIMEOUT = "offgrid.http.body-timeout-ms";
    static final String IDLE_TIMEOUT = "offgrid.http.idle-timeout-ms";
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final int maxConnections;
    private final long headerTimeoutNanos;
    private final long bodyTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long tick;
    private final ConcurrentHashMap<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicInteger openCount = new AtomicInteger();
    private final AtomicLong closedByTimeout = new AtomicLong();
    private final AtomicLong closedForRoom = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private long sweepTimer = -1;

    ConnectionGuard(String name, Settings settings) {
        this(name, settings.getInt(MAX_CONNECTIONS), settings.getLong(HEADER_TIMEOUT), settings.getLong(BODY_TIMEOUT),
                settings.getLong(IDLE_TIMEOUT));
    }

    ConnectionGuard(String name, int maxConnections, long headerTimeoutMs, long bodyTimeoutMs, long idleTimeoutMs) {
        if (maxConnections < 1 || headerTimeoutMs < 1 || bodyTimeoutMs < 1 || idleTimeoutMs < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " and the offgrid.http.*-timeout-ms settings must be"
                    + " at least 1");
        }
        this.name = name;
        this.maxConnections = maxConnections;
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
        this.bodyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(bodyTimeoutMs);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.tick = Math.max(20, Math.min(1000, Math.min(headerTimeoutMs, Math.min(bodyTimeoutMs, idleTimeoutMs)) / 4));
    }

    /** Starts the sweep on {@code vertx}; {@link #stop} ends it. */
    synchronized void start(Vertx vertx) {
        if (sweepTimer < 0) {
            sweepTimer = vertx.setPeriodic(tick, id -> sweep());
        }
    }

    synchronized void stop(Vertx vertx) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
            sweepTimer = -1;
        }
    }

    /** The server's connection handler. */
    void connected(HttpConnection connection) {
        Tracked tracked = new Tracked(connection, System.nanoTime());
        if (openCount.incrementAndGet() > maxConnections) {
            Tracked longestWaiting = longestWaiting();
            if (longestWaiting == null || !longestWaiting.forget()) {
                openCount.decrementAndGet();
                closedForRoom.incrementAndGet();
                connection.close();
                logNow();
                return;
            }
            openCount.decrementAndGet();
            open.remove(longestWaiting.connection);
            closedForRoom.incrementAndGet();
            longestWaiting.connection.close();
            logNow();
        }
        open.put(connection, tracked);
        connection.closeHandler(closed -> {
            if (tracked.forget()) {
                openCount.decrementAndGet();
            }
            open.remove(connection);
        });
    }

    /** In front of the server's request handler: notes that the connection has a request in progress. */
    void request(HttpServerRequest request, Handler<HttpServerRequest> next) {
        Tracked tracked = open.get(request.connection());
        if (tracked != null) {
            tracked.waitingSince = 0;
            tracked.since = System.nanoTime();
            tracked.current = request;
        }
        next.handle(request);
    }

    /** Connections open now (for tests and the log). */
    int openConnections() {
        return openCount.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Tracked tracked : open.values()) {
            HttpServerRequest current = tracked.current;
            boolean expired;
            if (current == null) {
                expired = now - tracked.since > headerTimeoutNanos;
            } else if (!current.isEnded()) {
                expired = now - tracked.since > bodyTimeoutNanos;
            } else if (current.response().ended()) {
                if (tracked.waitingSince == 0) {
                    tracked.waitingSince = now;
                }
                expired = now - tracked.waitingSince > idleTimeoutNanos;
            } else {
                expired = false; // being answered: however long that takes is the route's business
            }
            if (expired && tracked.forget()) {
                openCount.decrementAndGet();
                open.remove(tracked.connection);
                closedByTimeout.incrementAndGet();
                tracked.connection.close();
            }
        }
        if (closedByTimeout.get() > 0 || closedForRoom.get() > 0) {
            logNow();
        }
    }

    /** The open connection without a request in progress that has waited longest, or null. */
    private Tracked longestWaiting() {
        Tracked oldest = null;
        long oldestSince = Long.MAX_VALUE;
        for (Tracked tracked : open.values()) {
            HttpServerRequest current = tracked.current;
            boolean waiting = current == null || current.isEnded() && current.response().ended();
            if (!waiting) {
                continue;
            }
            long since = current == null || tracked.waitingSince == 0 ? tracked.since : tracked.waitingSince;
            if (oldest == null || since - oldestSince < 0) {
                oldest = tracked;
                oldestSince = since;
            }
        }
        return oldest;
    }

    /** At most every 10 s: how many connections were closed, and why. */
    private void logNow() {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last < LOG_EVERY_NANOS || !lastLog.compareAndSet(last, now)) {
            return;
        }
        long timedOut = closedByTimeout.getAndSet(0);
        long forRoom = closedForRoom.getAndSet(0);
        if (timedOut + forRoom > 0) {
            LOG.warn("{}: closed {} HTTP connection(s) that sent no request or body in time and {} to stay within"
                    + " {}={} ({} open)", name, timedOut, forRoom, MAX_CONNECTIONS, maxConnections, openCount.get());
        }
    }

    private static final class Tracked {
        final HttpConnection connection;
        private final AtomicBoolean gone = new AtomicBoolean();
        /** when the connection opened, or when its current request began */
        volatile long since;
        /** when the answer to the current request was first seen finished; 0 while there is none */
        volatile long waitingSince;
        volatile HttpServerRequest current;

        Tracked(HttpConnection connection, long openedAt) {
            this.connection = connection;
            this.since = openedAt;
        }

        /** True the first time only: the connection then no longer counts as open. */
        boolean forget() {
            return gone.compareAndSet(false, true);
        }
    }
}
