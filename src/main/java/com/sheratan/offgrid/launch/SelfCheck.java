package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.util.FileUtil;

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
        MeshLayout layout = MeshLayout.onFreePorts(home);
        Map<String, String> settings = new java.util.HashMap<>(overrides);
        settings.putAll(layout.settings("auto"));
        Settings all = Settings.load(home, System.getenv(), settings);
        try (Mesh mesh = Mesh.start(all)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mesh.role("core").baseUrl() + "/api/jobs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"echo\",\"payload\":{\"text\":\"selfcheck\"}}"));
            // with API tokens set (OFFGRID_API_TOKENS), the core wants one even on loopback
            String firstToken = all.get("offgrid.api-tokens", "").split(",")[0].strip();
            if (!firstToken.isEmpty()) {
                request.header("Authorization", "Bearer " + firstToken);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = answer.statusCode() == 200 && answer.body().contains("\"status\":\"completed\"");
            System.out.println(ok ? "selfcheck passed: an echo job ran through core, broker and host"
                    : "selfcheck FAILED: " + answer.statusCode() + " " + answer.body());
            return ok ? 0 : 1;
        } finally {
            FileUtil.removeDir(home.toFile());
        }
    }

}
