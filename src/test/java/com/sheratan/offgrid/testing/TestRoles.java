package com.sheratan.offgrid.testing;

import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.launch.RoleLauncher;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots real roles for a test: each in the test's own working folder, on a free loopback port,
 * with settings as a user would give them. Close it to stop everything it started.
 */
public final class TestRoles implements AutoCloseable {
    private final Path home;
    private final Map<String, String> env;
    private final List<RunningRole> started = new ArrayList<>();

    public TestRoles(Path home) {
        this(home, Map.of());
    }

    /** {@code env} plays the part of the process environment (e.g. {@code OFFGRID_MODE}). */
    public TestRoles(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    public Path home() {
        return home;
    }

    public Settings settings(Map<String, String> overrides) {
        return Settings.load(home, env, overrides);
    }

    public RunningRole start(Role role, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent(role.portKey(), String.valueOf(Ports.free()));
        RunningRole running = RoleLauncher.start(role, settings(all));
        started.add(running);
        return running;
    }

    public RunningRole core(Map<String, String> overrides) {
        return start(Role.CORE, overrides);
    }

    public RunningRole broker(Map<String, String> overrides) {
        return start(Role.BROKER, overrides);
    }

    public RunningRole host(String nodeId, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("offgrid.host.node-id", nodeId);
        return start(Role.HOST, all);
    }

    /**
     * A real host on a free port, written into {@code discovery/mesh_hosts.json} (replacing the file)
     * as the only host the broker knows: start it before the broker.
     */
    public RunningRole onlyDiscoveredHost(String nodeId) {
        int port = Ports.free();
        try {
            Path discovery = home.resolve("discovery/mesh_hosts.json");
            java.nio.file.Files.createDirectories(discovery.getParent());
            java.nio.file.Files.writeString(discovery,
                    "{\"http://127.0.0.1:" + port + "\":{\"node_id\":\"" + nodeId + "\",\"via\":\"udp\"}}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return host(nodeId, Map.of("offgrid.host.port", String.valueOf(port)));
    }

    public void stop(RunningRole role) {
        started.remove(role);
        role.stop();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException ignored) {
                // keep stopping the rest
            }
        }
        started.clear();
    }
}
