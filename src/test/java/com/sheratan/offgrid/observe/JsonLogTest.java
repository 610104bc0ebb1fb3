package com.sheratan.offgrid.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.launch.MeshLayout;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.RoleProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 14, {@code OFFGRID_LOG_FORMAT=json}: the local mesh as its own process (one JVM, four roles) writes
 * nothing but JSON objects, one per line, each with time, level, role, logger and message, and the lines
 * about a job carry its job_id and req_id under the role that wrote them.
 */
class JsonLogTest {
    @TempDir
    Path home;

    @Test
    void theMeshWritesOneJsonObjectPerLineWithRoleJobIdAndReqId() throws IOException {
        MeshLayout layout = MeshLayout.onFreePorts(home);
        Map<String, String> settings = new HashMap<>(layout.settings("auto"));
        settings.remove(Settings.HOME);
        Http http = new Http();
        try (RoleProcess mesh = RoleProcess.start("mesh", home, "mesh", settings, Map.of("OFFGRID_LOG_FORMAT", "json"),
                layout.statusUrls(), List.of())) {
            assertEquals(200, http.postJson(layout.core() + "/api/jobs",
                    "{\"job_id\":\"json-log-1\",\"kind\":\"echo\",\"payload\":{\"text\":\"hi\"}}").statusCode());
            Eventually.holds(() -> {
                List<JsonNode> lines = lines(mesh.log());
                assertTrue(lines.stream().anyMatch(line -> isAbout(line, "core")), "no core line about the job");
                assertTrue(lines.stream().anyMatch(line -> isAbout(line, "broker")), "no broker line about the job");
            });
            Set<String> roles = new TreeSet<>();
            for (JsonNode line : lines(mesh.log())) {
                for (String field : new String[] {"time", "level", "role", "logger", "message"}) {
                    assertTrue(line.path(field).isTextual() && !line.path(field).asText().isEmpty(),
                            field + " missing: " + line);
                }
                roles.add(line.path("role").asText());
            }
            assertTrue(roles.containsAll(List.of("core", "broker", "host-a", "host-b")), "roles seen: " + roles);
        }
    }

    /** A line of {@code role} naming the job in its job_id and req_id fields. */
    private static boolean isAbout(JsonNode line, String role) {
        return line.path("role").asText().equals(role) && line.path("job_id").asText().equals("json-log-1")
                && !line.path("req_id").asText().isEmpty();
    }

    /** Every line of the process's output as JSON; a line that is not a JSON object fails the test. */
    private static List<JsonNode> lines(Path log) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String text : Files.readAllLines(log)) {
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line = Http.json(text);
                assertTrue(line.isObject(), "not a JSON object: " + text);
                lines.add(line);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines;
    }

    @Test
    void aRoleThatCannotStartSaysWhyInAJsonLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ProcessBuilder core = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "com.sheratan.offgrid.App", "core", "--home", home.toString(),
                    "--port", String.valueOf(taken.getLocalPort())).redirectErrorStream(true).directory(home.toFile())
                    .redirectOutput(home.resolve("core.log").toFile());
            core.environment().put("OFFGRID_LOG_FORMAT", "json");
            Process started = core.start();
            assertTrue(started.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the core did not stop");
            assertEquals(1, started.exitValue());
            List<JsonNode> lines = lines(home.resolve("core.log"));
            JsonNode last = lines.get(lines.size() - 1);
            assertEquals("ERROR", last.path("level").asText(), last.toString());
            assertTrue(last.path("message").asText().contains(String.valueOf(taken.getLocalPort())), last.toString());
        }
    }
}
