package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.EscapingLogger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The hosts the broker may auction among: those discovery lists as active and the health monitor
 * has not found down. Health is kept by URL, so it survives a reload of the discovery file.
 */
public final class MeshHosts {
    private static final Logger LOG = EscapingLogger.of(MeshHosts.class);

    /** UNKNOWN hosts (not probed yet) take part; DOWN and INACTIVE ones are skipped. */
    public enum State { UNKNOWN, UP, INACTIVE, DOWN }

    /** What the health monitor and the auctions last learnt about one host. */
    public record Health(State state, long lastSeenMillis, String lastProblem) {
    }

    private static final Health UNPROBED = new Health(State.UNKNOWN, 0, null);

    private final DiscoveryFile discovery;
    private final Clock clock;
    private final Map<String, Health> healthByUrl = new ConcurrentHashMap<>();

    public MeshHosts(DiscoveryFile discovery, Clock clock) {
        this.discovery = discovery;
        this.clock = clock;
    }

    public Discovery discovery() {
        return discovery.current();
    }

    /** Every host of discovery that may take a job now. */
    public List<HostEntry> candidates() {
        return discovery.current().hosts().stream().filter(this::isActive).toList();
    }

    public boolean isActive(HostEntry host) {
        State state = health(host.url()).state();
        return host.active() && state != State.DOWN && state != State.INACTIVE;
    }

    public Health health(String url) {
        return healthByUrl.getOrDefault(url, UNPROBED);
    }

    /** The host answered (its status, a quote or a run). */
    public void seen(String url, boolean active) {
        Health before = healthByUrl.put(url, new Health(active ? State.UP : State.INACTIVE, clock.millis(), null));
        State was = before == null ? State.UNKNOWN : before.state();
        if (!active && was != State.INACTIVE) {
            LOG.warn("host {} reports itself inactive; skipped until it is active again", url);
        } else if (active && (was == State.DOWN || was == State.INACTIVE)) {
            LOG.info("host {} is up again", url);
        }
    }

    /** The health probe failed: skipped until a probe succeeds. */
    public void down(String url, String problem) {
        Health before = healthByUrl.get(url);
        long lastSeen = before == null ? 0 : before.lastSeenMillis();
        healthByUrl.put(url, new Health(State.DOWN, lastSeen, problem));
        if (before == null || before.state() != State.DOWN) {
            LOG.warn("host {} is down ({}); skipped until its GET /status answers", url, problem);
        }
    }

    /** ISO-8601 of the last contact, else what the discovery file says. */
    public String lastSeen(HostEntry host) {
        long millis = health(host.url()).lastSeenMillis();
        return millis > 0 ? Instant.ofEpochMilli(millis).toString() : host.lastSeen();
    }
}
