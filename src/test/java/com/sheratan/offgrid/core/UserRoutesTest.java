package com.sheratan.offgrid.core;

import com.sheratan.offgrid.testing.LogCapture;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 14, your own routes: the working folder's routes/, live reload, direct:offgrid-submit, broken files. */
class UserRoutesTest {
    private static final Duration RELOAD = Duration.ofSeconds(20);

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

    private static String greeting(String id, String path, String text) {
        return """
                - route:
                    id: %s
                    from:
                      uri: platform-http:%s
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(id, path, text);
    }

    private static final String SUBMIT = """
            - route:
                id: user-submit
                from:
                  uri: platform-http:/user/submit
                  parameters:
                    httpMethodRestrict: POST
                  steps:
                    - to: direct:offgrid-submit
                    - setHeader:
                        name: X-Handled-By
                        constant: user-submit
            """;

    private static final String BROKEN = """
            - route:
                id: broken
                from:
                  uri: platform-http:/user/broken
                  steps:
                    - setBody: [ this is not : a step
            """;

    @Test
    void userRoutesLoadSubmitAndReloadWhileABrokenFileIsOnlyLogged() throws IOException {
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.writeString(routes.resolve("hello.yaml"), greeting("user-hello", "/user/hello", "hello v1"));
        Files.writeString(routes.resolve("submit.yaml"), SUBMIT);
        Files.writeString(routes.resolve("broken.yaml"), BROKEN);
        try (LogCapture log = new LogCapture()) {
            roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
            RunningRole core = roles.core(Map.of());

            assertEquals("hello v1", http.get(core.baseUrl() + "/user/hello").body());
            Eventually.holds(() -> assertTrue(log.text().contains("broken.yaml not loaded: "), log.text()));
            Eventually.holds(() -> assertEquals(200, http.get(core.baseUrl() + "/observe/health").statusCode()));

            // the user's route hands a job to the pipeline and gets the answer of SPEC 5 back as its body
            HttpResponse<String> submitted = http.postJson(core.baseUrl() + "/user/submit",
                    "{\"job_id\":\"from-route-1\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
            assertEquals(202, submitted.statusCode(), submitted.body());
            assertEquals("queued", json(submitted).path("status").asText(), submitted.body());
            assertEquals("user-submit", submitted.headers().firstValue("X-Handled-By").orElse(""));
            assertEquals("route", json(http.get(core.baseUrl() + "/api/jobs/from-route-1")).path("source").asText());

            // a changed file replaces its routes, an added one starts
            Files.writeString(routes.resolve("hello.yaml"), greeting("user-hello", "/user/hello", "hello v2"));
            Files.writeString(routes.resolve("more.yaml"), greeting("user-more", "/user/more", "more"));
            Eventually.holds(RELOAD, () -> assertEquals("hello v2", http.get(core.baseUrl() + "/user/hello").body()));
            Eventually.holds(RELOAD, () -> assertEquals("more", http.get(core.baseUrl() + "/user/more").body()));

            // a file broken while it runs is logged, and its old routes and all others keep running
            Files.writeString(routes.resolve("hello.yaml"), BROKEN.replace("broken", "user-hello"));
            String hello = routes.resolve("hello.yaml").toString();
            Eventually.holds(RELOAD, () -> assertTrue(log.text().contains("Error reloading routes from file: " + hello
                    + " due to: Error pre-parsing resource"), log.text()));
            assertEquals("hello v2", http.get(core.baseUrl() + "/user/hello").body());
            assertEquals("more", http.get(core.baseUrl() + "/user/more").body());
            assertEquals(200, http.get(core.baseUrl() + "/observe/health").statusCode());
            assertEquals(200, http.get(core.baseUrl() + "/api/status").statusCode());
        }
    }
}
