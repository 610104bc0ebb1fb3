package com.sheratan.offgrid.launch;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh --hosts N}: host-a, host-b, host-c, … on the next ports, all known to the broker, all storing shards. */
class MeshHostsOptionTest {
    @TempDir
    Path home;

    private final Http http = new Http();

    @Test
    void moreHostsGetTheNextNamesAndPorts() {
        Settings settings = Settings.load(home, Map.of(), Map.of(Mesh.HOST_COUNT, "4"));
        assertEquals(List.of("host-a", "host-b", "host-c", "host-d"), Mesh.hostNames(settings));
        assertEquals(8083, Mesh.hostPort("host-c", settings));
        assertEquals(8084, Mesh.hostPort("host-d", settings));
        assertEquals("8084", Mesh.host("host-d", settings).get("offgrid.host.port"));
        assertEquals(List.of("host-a", "host-b"), Mesh.hostNames(Settings.load(home, Map.of(), Map.of())));
        assertEquals("4", CommandLine.parse(new String[] {"mesh", "--hosts", "4"}).overrides().get(Mesh.HOST_COUNT));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"mesh", "--hosts", "0"}));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"mesh", "--hosts", "x"}));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"core", "--hosts", "3"}));
    }

    @Test
    void aMeshOfThreeHostsStoresAnObjectAsTwoPlusOne() throws Exception {
        int core = Ports.free();
        int broker = Ports.free();
        int hostA = Ports.free();
        int hostB = Ports.free();
        // the discovery file as shipped lists host-a and host-b only; the mesh's broker must know host-c too
        Path discovery = home.resolve("discovery/mesh_hosts.json");
        Files.createDirectories(discovery.getParent());
        String shipped = "{\"http://127.0.0.1:" + hostA + "\":{\"node_id\":\"host-a\"},\"http://127.0.0.1:" + hostB
                + "\":{\"node_id\":\"host-b\"}}";
        Files.writeString(discovery, shipped);
        String[] args = {"mesh", "--hosts", "3", "--home", home.toString(),
            "--set", "offgrid.core.port=" + core, "--set", "offgrid.broker.port=" + broker,
            "--set", "offgrid.broker-url=http://127.0.0.1:" + broker, "--set", "offgrid.mode=disabled",
            "--set", "offgrid.mesh.host-a-port=" + hostA, "--set", "offgrid.mesh.host-b-port=" + hostB,
            "--set", "offgrid.mesh.host-c-port=" + Ports.free()};
        try (AutoCloseable mesh = CommandLine.start(CommandLine.parse(args))) {
            assertEquals(shipped, Files.readString(discovery), "the user's discovery file is left as it is");
            // scheme auto counts the hosts the broker holds active; its health monitor finds them on its own timer
            Eventually.holds(Duration.ofSeconds(30), () -> {
                JsonNode hosts = json(http.get("http://127.0.0.1:" + broker + "/hosts")).get("hosts");
                assertEquals(3, hosts.size(), hosts.toString());
                hosts.forEach(host -> assertTrue(host.path("active").asBoolean(), hosts.toString()));
            });
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + core
                    + "/api/objects/notes/hello.txt")).PUT(HttpRequest.BodyPublishers.ofString("hello mesh storage"))
                    .header("Content-Type", "text/plain").build());
            assertEquals(201, put.statusCode(), put.body());
            JsonNode stored = json(put);
            assertEquals(2, stored.at("/scheme/k").asInt());
            assertEquals(1, stored.at("/scheme/m").asInt());
            Set<String> nodes = new HashSet<>();
            stored.get("shards").forEach(s -> nodes.add(s.get("node_id").asText()));
            assertEquals(Set.of("host-a", "host-b", "host-c"), nodes);
            assertEquals("hello mesh storage", http.get("http://127.0.0.1:" + core + "/api/objects/notes/hello.txt").body());
        }
    }
}
