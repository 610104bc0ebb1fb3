package com.sheratan.offgrid.core;

import com.sheratan.offgrid.testing.LogCapture;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/routes.md's three worked examples, as a user would copy them, in a real core. */
class UserRoutesExamplesTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private TestRoles roles;

    @AfterEach
    void stop() {
        if (roles != null) {
            roles.close();
        }
    }

    @Test
    void theDocumentedExamplesIntakeAFolderSubmitOnATimerAndLogQueuedJobs() throws Exception {
        String page = Files.readString(Path.of("docs/routes.md"));
        Matcher blocks = Pattern.compile("`routes/([a-z-]+\\.yaml)`:\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        Path routes = Files.createDirectories(home.resolve("routes"));
        List<String> files = new ArrayList<>();
        while (blocks.find()) {
            Files.writeString(routes.resolve(blocks.group(1)), blocks.group(2));
            files.add(blocks.group(1));
        }
        assertEquals(List.of("reports-intake.yaml", "heartbeat.yaml", "log-queued.yaml"), files);
        Files.createDirectories(home.resolve("reports-in"));

        try (LogCapture log = new LogCapture()) {
            roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
            RunningRole core = roles.core(Map.of("offgrid.home", home.toString()));
            Files.writeString(home.resolve("report.part"), "{\"job_id\":\"report-1\",\"kind\":\"echo\",\"payload\":{}}");
            Files.move(home.resolve("report.part"), home.resolve("reports-in/report-1.json"));

            Eventually.holds(Duration.ofSeconds(20), () -> {
                JsonNode job = json(http.get(core.baseUrl() + "/api/jobs/report-1"));
                assertEquals("queued", job.path("status").asText(), job.toString());
                assertEquals("route", job.path("source").asText());
            });
            Eventually.holds(Duration.ofSeconds(10), () ->
                    assertTrue(Files.exists(home.resolve("reports-in/.done/report-1.json"))));
            Eventually.holds(Duration.ofSeconds(20), () -> {
                JsonNode heartbeats = json(http.get(core.baseUrl() + "/api/jobs?mission_id=heartbeat")).path("jobs");
                assertEquals(1, heartbeats.size(), heartbeats.toString());
                assertEquals("sha256", heartbeats.get(0).path("kind").asText());
            });
            Eventually.holds(Duration.ofSeconds(20), () ->
                    assertTrue(log.text().contains("queued job file report-1.job.json: "), "no queued job logged"));
        }
    }
}
