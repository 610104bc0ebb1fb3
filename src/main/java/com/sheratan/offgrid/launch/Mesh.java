package com.sheratan.offgrid.launch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The whole local mesh in one JVM: host-a, host-b (dearer), the broker and the core, started in
 * that order so each role finds the ones it calls already listening.
 */
public final class Mesh implements AutoCloseable {
    private static final String[] PRICE_KEYS = {
        "offgrid.host.price.per-mtoken-infer", "offgrid.host.price.per-gb-hour", "offgrid.host.price.per-gb-transfer"
    };

    private final List<RunningRole> roles;

    private Mesh(List<RunningRole> roles) {
        this.roles = roles;
    }

    public static Mesh start(Settings settings) {
        List<RunningRole> started = new ArrayList<>();
        try {
            started.add(RoleLauncher.start(Role.HOST, hostA(settings)));
            started.add(RoleLauncher.start(Role.HOST, hostB(settings)));
            started.add(RoleLauncher.start(Role.BROKER, settings));
            started.add(RoleLauncher.start(Role.CORE, settings));
            return new Mesh(started);
        } catch (RuntimeException e) {
            new Mesh(started).close();
            throw e;
        }
    }

    static Settings hostA(Settings settings) {
        return settings.with(Map.of(
                "offgrid.host.port", settings.get("offgrid.mesh.host-a-port"),
                "offgrid.host.node-id", "host-a"));
    }

    static Settings hostB(Settings settings) {
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
                org.slf4j.LoggerFactory.getLogger(Mesh.class).warn("stopping {} failed: {}", role.name(), e.getMessage());
            }
        }
    }
}
