package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole local mesh in one JVM: host-a, host-b (dearer), the broker and the core, each its own
 * Camel context on its own port, started side by side.
 */
public final class Mesh implements AutoCloseable {
    /** The mesh's two hosts, by node id; {@link #host} gives each one's settings. */
    public static final List<String> HOSTS = List.of("host-a", "host-b");

    private static final String[] PRICE_KEYS = {
        "offgrid.host.price.per-mtoken-infer", "offgrid.host.price.per-gb-hour", "offgrid.host.price.per-gb-transfer"
    };

    private final List<RunningRole> roles;

    private Mesh(List<RunningRole> roles) {
        this.roles = roles;
    }

    public static Mesh start(Settings settings) {
        // the roles start side by side (each is its own Camel context and port); a role never needs
        // another at start-up, only once jobs flow, and the status endpoints report who is reachable
        List<Settings> order = List.of(host("host-a", settings), host("host-b", settings), settings, settings);
        List<Role> roles = List.of(Role.HOST, Role.HOST, Role.BROKER, Role.CORE);
        ExecutorService starter = Executors.newFixedThreadPool(roles.size(), r -> new Thread(r, "mesh-start"));
        List<Future<RunningRole>> starting = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            Role role = roles.get(i);
            Settings roleSettings = order.get(i);
            starting.add(starter.submit(() -> RoleLauncher.start(role, roleSettings)));
        }
        starter.shutdown();
        List<RunningRole> started = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<RunningRole> future : starting) {
            try {
                started.add(future.get());
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new RoleStartException(e.getCause().getMessage(), e.getCause());
                failure = failure == null ? cause : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? new RoleStartException("interrupted while starting the mesh", e) : failure;
            }
        }
        if (failure != null) {
            new Mesh(started).close();
            throw failure;
        }
        return new Mesh(started);
    }

    /**
     * The settings of one of the mesh's hosts ({@link #HOSTS}): its port from
     * {@code offgrid.mesh.<name>-port}, its node id, and for host-b the prices times the price factor.
     * {@code bin/start-mesh.sh} starts each host in its own process with these same settings.
     */
    public static Settings host(String name, Settings settings) {
        return switch (name) {
            case "host-a" -> hostA(settings);
            case "host-b" -> hostB(settings);
            default -> throw new IllegalArgumentException("the mesh has no host named '" + name + "'; its hosts are " + HOSTS);
        };
    }

    private static Settings hostA(Settings settings) {
        return settings.with(Map.of(
                "offgrid.host.port", settings.get("offgrid.mesh.host-a-port"),
                "offgrid.host.node-id", "host-a"));
    }

    private static Settings hostB(Settings settings) {
        double factor = settings.getDouble("offgrid.mesh.host-b-price-factor");
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "offgrid.host.port", settings.get("offgrid.mesh.host-b-port"),
                "offgrid.host.node-id", "host-b"));
        for (String key : PRICE_KEYS) {
            overrides.put(key, String.valueOf(settings.getDouble(key) * factor));
        }
        return settings.with(overrides);
    }

    public List<RunningRole> roles() {
        return Collections.unmodifiableList(roles);
    }

    public RunningRole role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no role named " + name + " in this mesh"));
    }

    /** Stops the roles in reverse start order: the core first, so no new job enters a half-stopped mesh. */
    @Override
    public void close() {
        List<RunningRole> reversed = new ArrayList<>(roles);
        Collections.reverse(reversed);
        for (RunningRole role : reversed) {
            try {
                role.stop();
            } catch (RuntimeException e) {
                com.sheratan.offgrid.config.EscapingLogger.of(Mesh.class).warn("stopping {} failed: {}", role.name(), e.getMessage());
            }
        }
    }
}
