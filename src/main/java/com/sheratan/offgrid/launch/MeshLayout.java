package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.contract.AtomicFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A private mesh's ports and folder: four free loopback ports and a discovery file naming its two
 * hosts, so a self-check or a benchmark never touches the real ports or folders.
 */
public record MeshLayout(Path home, int corePort, int brokerPort, int hostAPort, int hostBPort) {

    /** Picks four free ports and writes {@code <home>/discovery/mesh_hosts.json}. */
    public static MeshLayout onFreePorts(Path home) throws IOException {
        MeshLayout layout = new MeshLayout(home, freePort(), freePort(), freePort(), freePort());
        AtomicFile.write(home.resolve("discovery/mesh_hosts.json"), ("{\"" + layout.hostA() + "\":{\"node_id\":\"host-a\"},\""
                + layout.hostB() + "\":{\"node_id\":\"host-b\"}}").getBytes(StandardCharsets.UTF_8), AtomicFile.Sync.NOT_SYNCED);
        return layout;
    }

    /** The settings that put a mesh on these ports, in this folder, in the given mode. */
    public Map<String, String> settings(String mode) {
        return Map.of(Settings.HOME, home.toString(), "offgrid.mode", mode,
                "offgrid.core.port", String.valueOf(corePort), "offgrid.broker.port", String.valueOf(brokerPort),
                "offgrid.broker-url", broker(), "offgrid.mesh.host-a-port", String.valueOf(hostAPort),
                "offgrid.mesh.host-b-port", String.valueOf(hostBPort));
    }

    /** What must answer 200 before the mesh counts as started. */
    public List<String> statusUrls() {
        return List.of(hostA() + "/status", hostB() + "/status", broker() + "/status", core() + "/api/status");
    }

    public String core() {
        return "http://127.0.0.1:" + corePort;
    }

    public String broker() {
        return "http://127.0.0.1:" + brokerPort;
    }

    public String hostA() {
        return "http://127.0.0.1:" + hostAPort;
    }

    public String hostB() {
        return "http://127.0.0.1:" + hostBPort;
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
