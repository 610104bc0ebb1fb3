package com.sheratan.offgrid.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
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
 * Camel context on its own port, started side by side. {@code offgrid.mesh.hosts} (the command's
 * {@code --hosts N}) adds host-c, host-d, … on the ports after host-b's, priced as host-b, so a
 * user can try erasure coding (say 4 + 2 on six hosts) on one machine.
 */
public final class Mesh implements AutoCloseable {
    private static final Logger LOG = EscapingLogger.of(Mesh.class);
    /** The mesh's two hosts by default, by node id; {@link #host} gives each one's settings. */
    public static final List<String> HOSTS = List.of("host-a", "host-b");
    public static final String HOST_COUNT = "offgrid.mesh.hosts";
    /** host-a … host-z */
    public static final int MAX_HOSTS = 26;

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
        List<String> names = hostNames(settings);
        List<Settings> order = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        for (String name : names) {
            order.add(host(name, settings));
            roles.add(Role.HOST);
        }
        // without a discovery file the broker falls back to the mesh's own hosts, all of them
        Settings broker = discoveryOfAllHosts(settings.with(Map.of("offgrid.broker.fallback-hosts", String.join(",",
                names.stream().map(name -> hostUrl(name, settings)).toList()))), names);
        order.add(broker);
        roles.add(Role.BROKER);
        order.add(settings);
        roles.add(Role.CORE);
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
        if (!hostNames(settings).contains(name)) {
            throw new IllegalArgumentException("the mesh has no host named '" + name + "'; its hosts are " + hostNames(settings));
        }
        return name.equals("host-a") ? hostA(settings) : dearerHost(name, settings);
    }

    /** host-a, host-b, … as many as {@code offgrid.mesh.hosts} (2 to 26). */
    public static List<String> hostNames(Settings settings) {
        int count = settings.getInt(HOST_COUNT);
        if (count < 1 || count > MAX_HOSTS) {
            throw new RoleStartException(HOST_COUNT + " (--hosts) must be from 1 to " + MAX_HOSTS + ", was " + count);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("host-" + (char) ('a' + i));
        }
        return names;
    }

    private static String hostUrl(String name, Settings settings) {
        return "http://" + settings.get("offgrid.bind-host") + ":" + hostPort(name, settings);
    }

    /**
     * With more than the two hosts the shipped discovery file lists, the broker reads a copy of that
     * file with the mesh's other hosts added ({@code <file>.local-<N>.json} beside it, written at each
     * start), so every host of the mesh stores shards and takes jobs; the file itself is left as it is.
     */
    private static Settings discoveryOfAllHosts(Settings settings, List<String> names) {
        if (names.size() <= HOSTS.size()) {
            return settings;
        }
        Path file = settings.path("offgrid.broker.discovery-file");
        ObjectNode hosts = Json.object();
        try {
            JsonNode listed = Files.isRegularFile(file) ? Json.mapper().readTree(file.toFile()) : null;
            if (listed != null && listed.isObject()) {
                hosts.setAll((ObjectNode) listed);
            }
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}): the local mesh's broker knows only its own hosts", file, e.getMessage());
        }
        for (String name : names) {
            String url = hostUrl(name, settings);
            if (!hosts.has(url)) {
                hosts.putObject(url).put("node_id", name).put("via", "udp").put("active", true);
            }
        }
        String fileName = file.getFileName().toString().replaceAll("\\.json$", "");
        Path local = file.resolveSibling(fileName + ".local-" + names.size() + ".json");
        try {
            AtomicFile.write(local, hosts.toPrettyString().getBytes(StandardCharsets.UTF_8), AtomicFile.Sync.NOT_SYNCED);
        } catch (IOException e) {
            throw new RoleStartException("cannot write " + local + " for the mesh's " + names.size() + " hosts: "
                    + e.getMessage(), e);
        }
        LOG.info("the local mesh's broker reads {}: {} plus the mesh's {} hosts", local, file, names.size());
        return settings.with(Map.of("offgrid.broker.discovery-file", local.toString()));
    }

    /**
     * A mesh host's port: {@code offgrid.mesh.<name>-port} when set (host-a 8081 and host-b 8082 are),
     * else the port after the previous host's.
     */
    public static int hostPort(String name, Settings settings) {
        String own = settings.get("offgrid.mesh." + name + "-port", "");
        if (!own.isBlank()) {
            return Integer.parseInt(own.strip());
        }
        String previous = "host-" + (char) (name.charAt(name.length() - 1) - 1);
        return hostPort(previous, settings) + 1;
    }

    private static Settings hostA(Settings settings) {
        return settings.with(Map.of(
                "offgrid.host.port", String.valueOf(hostPort("host-a", settings)),
                "offgrid.host.node-id", "host-a"));
    }

    private static Settings dearerHost(String name, Settings settings) {
        double factor = settings.getDouble("offgrid.mesh.host-b-price-factor");
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "offgrid.host.port", String.valueOf(hostPort(name, settings)),
                "offgrid.host.node-id", name));
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
