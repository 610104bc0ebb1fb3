package com.sheratan.offgrid.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes {@code GET /status} of every discovered host (the {@code broker-health-monitor} timer route
 * calls {@link #probeAll()}). Probes run asynchronously, so the timer never waits on a slow host;
 * a host whose previous probe has not answered yet is not probed twice.
 */
public final class HealthMonitor {
    private final MeshHosts hosts;
    private final HostClient client;
    private final Set<String> probing = ConcurrentHashMap.newKeySet();

    public HealthMonitor(MeshHosts hosts, HostClient client) {
        this.hosts = hosts;
        this.client = client;
    }

    public void probeAll() {
        for (HostEntry host : hosts.discovery().hosts()) {
            if (!probing.add(host.url())) {
                continue;
            }
            client.status(host.url()).whenComplete((answer, error) -> {
                probing.remove(host.url());
                if (answer == null || !answer.answered()) {
                    hosts.down(host.url(), answer == null ? String.valueOf(error) : answer.problem());
                } else if (answer.status() >= 500) {
                    hosts.down(host.url(), "GET /status answered HTTP " + answer.status());
                } else {
                    // any other answer means the host is there (an older host may have no /status)
                    boolean active = answer.status() / 100 != 2 || answer.json() == null
                            || answer.json().path("active").asBoolean(true);
                    hosts.seen(host.url(), active);
                }
            });
        }
    }
}
