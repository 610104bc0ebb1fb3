package com.sheratan.offgrid.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code java -jar sheratan-offgrid.jar selfcheck}: starts a private mesh in a temporary folder on
 * free loopback ports, runs one echo job through core → broker → host, and stops. It proves an
 * installation works without touching the real ports or folders; {@code bin/build.sh} also runs it
 * once to record the class-data-sharing archive that makes the mesh start faster.
 */
final class SelfCheck {
    private SelfCheck() {
    }

    static int run(Map<String, String> overrides) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("offgrid-selfcheck-");
        int core = freePort();
        int broker = freePort();
        int hostA = freePort();
        int hostB = freePort();
        Files.createDirectories(home.resolve("discovery"));
        Files.writeString(home.resolve("discovery/mesh_hosts.json"), "{\"http://127.0.0.1:" + hostA
                + "\":{\"node_id\":\"host-a\"},\"http://127.0.0.1:" + hostB + "\":{\"node_id\":\"host-b\"}}");
        Map<String, String> settings = new java.util.HashMap<>(overrides);
        settings.putAll(Map.of(Settings.HOME, home.toString(), "offgrid.core.port", String.valueOf(core),
                "offgrid.broker.port", String.valueOf(broker), "offgrid.broker-url", "http://127.0.0.1:" + broker,
                "offgrid.mesh.host-a-port", String.valueOf(hostA), "offgrid.mesh.host-b-port", String.valueOf(hostB),
                "offgrid.mode", "auto"));
        try (Mesh mesh = Mesh.start(Settings.load(home, System.getenv(), settings))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.role("core").baseUrl() + "/api/jobs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"echo\",\"payload\":{\"text\":\"selfcheck\"}}"))
                    .build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean ok = answer.statusCode() == 200 && answer.body().contains("\"status\":\"completed\"");
            System.out.println(ok ? "selfcheck passed: an echo job ran through core, broker and host"
                    : "selfcheck FAILED: " + answer.statusCode() + " " + answer.body());
            return ok ? 0 : 1;
        } finally {
            deleteTree(home);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
