package com.sheratan.offgrid.observe;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.SchemaCheck;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 14, OpenAPI: every role's /openapi.json names every HTTP endpoint the role really has, every
 * documented operation answers with a status it documents, and each JSON answer matches its schema.
 */
class OpenApiTest {
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
    void everyRoleDocumentsItsRealEndpointsAndItsAnswersMatchTheSchemas() throws IOException {
        Files.createDirectories(home.resolve("discovery"));
        roles = new TestRoles(home);
        RunningRole host = roles.host("host-a", Map.of());
        Files.writeString(home.resolve("discovery/mesh_hosts.json"), "{\"" + host.baseUrl() + "\":{\"node_id\":\"host-a\"}}");
        RunningRole broker = roles.broker(Map.of());
        RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl()));
        assertEquals(200, http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"doc-1\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}").statusCode());

        List<String> problems = new ArrayList<>();
        for (RunningRole role : List.of(core, broker, host)) {
            HttpResponse<String> answer = http.get(role.baseUrl() + "/openapi.json");
            assertEquals(200, answer.statusCode());
            JsonNode document = json(answer);
            assertTrue(document.path("openapi").asText().startsWith("3."), role.name());
            Set<String> documented = new TreeSet<>();
            document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + p.getKey())));
            Set<String> real = realEndpoints(role);
            assertTrue(real.contains("GET /openapi.json") && real.size() >= 5, role.name() + ": " + real);
            for (String endpoint : real) {
                if (!documented.contains(endpoint)) {
                    problems.add(role.name() + ": " + endpoint + " is not documented");
                }
            }
            for (String operation : documented) {
                problems.addAll(call(role, document, operation));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The role's platform-http routes as "METHOD /path". */
    private static Set<String> realEndpoints(RunningRole role) {
        Set<String> out = new TreeSet<>();
        for (Route route : role.camelContext().getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (!uri.startsWith("platform-http://")) {
                continue;
            }
            String rest = uri.substring("platform-http://".length());
            String path = rest.split("\\?", 2)[0];
            String methods = rest.contains("httpMethodRestrict=") ? rest.replaceAll(".*httpMethodRestrict=([A-Z,]+).*", "$1") : "GET";
            for (String method : methods.split(",")) {
                out.add(method + " " + java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private List<String> call(RunningRole role, JsonNode document, String operation) {
        String method = operation.split(" ", 2)[0];
        String path = operation.split(" ", 2)[1];
        String url = role.baseUrl() + path.replace("{id}", "doc-1").replace("{job_id}", "doc-1").replace("{mission_id}", "doc-1")
                .replace("{seq}", "0").replace("{key}", "doc/1").replace("{shard_id}", "doc-1-shard-00000");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (method.equals("POST") || method.equals("PUT")) {
            // an unsigned or empty body: each documents what it answers to that (401, 400, 409 …)
            request.method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
        } else if (method.equals("DELETE")) {
            request.DELETE();
        } else {
            request.GET();
        }
        if (path.equals("/api/events")) {
            int status = http.statusOfStream(request.build());
            return status == 200 ? List.of() : List.of(role.name() + " " + operation + ": " + status);
        }
        HttpResponse<String> answer = http.send(request.build());
        JsonNode responses = document.path("paths").path(path).path(method.toLowerCase()).path("responses");
        JsonNode documented = responses.path(String.valueOf(answer.statusCode()));
        if (documented.isMissingNode()) {
            return List.of(role.name() + " " + operation + " answered " + answer.statusCode() + ", not documented: "
                    + answer.body());
        }
        JsonNode schema = documented.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String problem : new SchemaCheck(document).problems(schema, json(answer))) {
            out.add(role.name() + " " + operation + " " + answer.statusCode() + ": " + problem);
        }
        return out;
    }
}
