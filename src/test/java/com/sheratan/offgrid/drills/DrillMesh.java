package com.sheratan.offgrid.drills;

import com.sheratan.offgrid.launch.MeshLayout;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mesh for a drill, in the drill's own folder: roles that a drill kills run as separate
 * processes ({@link RoleProcess}), the others in this JVM ({@link TestRoles}). Ports are free
 * loopback ports picked up front, so a killed role restarts where it was.
 */
final class DrillMesh implements AutoCloseable {
    final Path home;
    final MeshLayout layout;
    final TestRoles inJvm;
    private final List<RoleProcess> processes = new ArrayList<>();

    DrillMesh(Path home, Map<String, String> env) {
        this.home = home;
        try {
            this.layout = MeshLayout.onFreePorts(home);  // four free ports; discovery names host-a and host-b
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.inJvm = new TestRoles(home, env);
    }

    /** Rewrites the discovery file with these host ports, named host-a, host-b, ... in order. */
    void writeDiscovery(int... hostPorts) {
        StringBuilder json = new StringBuilder("{");
        char[] names = {'a', 'b', 'c', 'd'};
        for (int i = 0; i < hostPorts.length; i++) {
            json.append(i == 0 ? "" : ",").append("\"http://127.0.0.1:").append(hostPorts[i])
                    .append("\":{\"node_id\":\"host-").append(names[i]).append("\"}");
        }
        try {
            Files.createDirectories(home.resolve("discovery"));
            Files.writeString(home.resolve("discovery/mesh_hosts.json"), json.append('}').toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String coreUrl() {
        return layout.core();
    }

    String brokerUrl() {
        return layout.broker();
    }

    String hostUrl(String nodeId) {
        return nodeId.equals("host-a") ? layout.hostA() : layout.hostB();
    }

    private int hostPort(String nodeId) {
        return nodeId.equals("host-a") ? layout.hostAPort() : layout.hostBPort();
    }

    Path fileQueue() {
        return home.resolve("webrelay_out");
    }

    RunningRole hostInJvm(String nodeId, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.host.port", String.valueOf(hostPort(nodeId)));
        return inJvm.host(nodeId, all);
    }

    RunningRole brokerInJvm(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.broker.port", String.valueOf(layout.brokerPort()));
        return inJvm.broker(all);
    }

    RunningRole coreInJvm(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.core.port", String.valueOf(layout.corePort()));
        all.put("offgrid.broker-url", brokerUrl());
        return inJvm.core(all);
    }

    RoleProcess brokerProcess(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.broker.port", String.valueOf(layout.brokerPort()));
        return process("broker", "broker", all, brokerUrl() + "/status");
    }

    RoleProcess hostProcess(String nodeId, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.host.port", String.valueOf(hostPort(nodeId)));
        all.put("offgrid.host.node-id", nodeId);
        return process(nodeId, "host", all, hostUrl(nodeId) + "/status");
    }

    RoleProcess coreProcess(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.core.port", String.valueOf(layout.corePort()));
        all.put("offgrid.broker-url", brokerUrl());
        return process("core", "core", all, coreUrl() + "/api/status");
    }

    /** A core process of its own name on {@code port}, beside the mesh's one (several cores on one store). */
    RoleProcess coreProcess(String name, int port, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("offgrid.core.port", String.valueOf(port));
        all.put("offgrid.broker-url", brokerUrl());
        return process(name, "core", all, "http://127.0.0.1:" + port + "/api/status");
    }

    private RoleProcess process(String name, String command, Map<String, String> settings, String statusUrl) {
        RoleProcess process = RoleProcess.start(name, home, command, settings, Map.of(), List.of(statusUrl),
                List.of("-Xmx256m", "-XX:+UseSerialGC"));
        processes.add(process);
        return process;
    }

    @Override
    public void close() {
        inJvm.close();
        processes.forEach(RoleProcess::kill);
    }
}
