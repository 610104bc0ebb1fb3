package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's API tokens: required off loopback (no start without), required on loopback once set. */
class CoreApiTokensTest {
    private static final String JOB = "{\"job_id\":\"job-tok\",\"kind\":\"echo\",\"payload\":{\"text\":\"hi\"}}";

    @TempDir
    Path home;

    @Test
    void coreOffLoopbackWithoutTokensRefusesToStartAndSaysHowToSetThem() {
        // the configuration is checked on its own: it runs before the core listens, so nothing binds 0.0.0.0
        DefaultCamelContext context = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.setProperty("offgrid.bind-host", "0.0.0.0");
        settings.setProperty("offgrid.role-name", "core");
        settings.setProperty("offgrid.api-tokens", " , ");
        context.getPropertiesComponent().setInitialProperties(settings);
        RoleStartException refused = assertThrows(RoleStartException.class,
                () -> new CoreConfiguration().configure(context));
        assertTrue(refused.getMessage().contains("core refuses to bind 0.0.0.0 without API tokens"), refused.getMessage());
        assertTrue(refused.getMessage().contains("OFFGRID_API_TOKENS"), refused.getMessage());
        assertTrue(refused.getMessage().contains("openssl rand -hex 32"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Authorization: Bearer <token>"), refused.getMessage());
    }

    @Test
    void everyApiRouteRefusesACallWithoutAKnownToken() {
        try (TestRoles roles = new TestRoles(home, Map.of("OFFGRID_API_TOKENS", "token-one, token-two"))) {
            RunningRole core = roles.core(CoreTesting.settings(CoreTesting.deadBrokerUrl(), "disabled"));
            Http http = new Http();
            List<String[]> apiCalls = apiCalls(core);
            assertTrue(apiCalls.size() >= 4, "the core's /api routes: " + apiCalls.size());
            for (String[] call : apiCalls) {
                String what = call[0] + " " + call[1];
                HttpResponse<String> none = http.send(request(core, call, null));
                assertEquals(401, none.statusCode(), what + ": " + none.body());
                assertEquals("missing_token", json(none).get("error").asText(), what);
                assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""), what);

                HttpResponse<String> bad = http.send(request(core, call, "Bearer token-three"));
                assertEquals(401, bad.statusCode(), what + ": " + bad.body());
                assertEquals("bad_token", json(bad).get("error").asText(), what);
                assertEquals("Bearer", bad.headers().firstValue("WWW-Authenticate").orElse(""), what);

                assertEquals("missing_token", json(http.send(request(core, call, "Basic dG9rZW4tb25lOg=="))).get("error")
                        .asText(), what + " with another scheme");
            }
            // the dashboard's event stream is a Vert.x route of its own, and checks the token too
            HttpResponse<String> events = http.send(request(core, new String[] {"GET", "/api/events"}, null));
            assertEquals(401, events.statusCode(), events.body());
            assertEquals("missing_token", json(events).get("error").asText());

            // nothing refused was stored or dispatched
            assertFalse(Files.exists(home.resolve("webrelay_out/job-tok.job.json")));
            HttpResponse<String> list = http.send(request(core, new String[] {"GET", "/api/jobs"}, "Bearer token-two"));
            assertEquals(200, list.statusCode(), list.body());
            assertFalse(list.body().contains("job-tok"), list.body());

            // either token works, the scheme in any case
            HttpResponse<String> submitted = http.send(request(core, new String[] {"POST", "/api/jobs"}, "bearer token-one"));
            assertEquals(202, submitted.statusCode(), submitted.body());
            assertEquals("queued", json(submitted).get("status").asText());
            for (String[] call : apiCalls) {
                HttpResponse<String> allowed = http.send(request(core, call, "Bearer token-two"));
                assertNotEquals(401, allowed.statusCode(), call[0] + " " + call[1] + ": " + allowed.body());
            }
        }
    }

    @Test
    void loopbackCoreWithoutTokensNeedsNone() {
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole core = roles.core(CoreTesting.settings(CoreTesting.deadBrokerUrl(), "disabled"));
            HttpResponse<String> status = new Http().get(core.baseUrl() + "/api/status");
            assertEquals(200, status.statusCode(), status.body());
        }
    }

    /** Method and path (a path parameter filled in) of every platform-http route under /api. */
    private static List<String[]> apiCalls(RunningRole core) {
        List<String[]> calls = new ArrayList<>();
        for (Route route : core.camelContext().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint && endpoint.getPath().startsWith("/api")) {
                String path = endpoint.getPath().replaceAll("\\{[^}]+}", "job-tok");
                String methods = endpoint.getHttpMethodRestrict() == null ? "GET" : endpoint.getHttpMethodRestrict();
                Stream.of(methods.split(",")).forEach(method -> calls.add(new String[] {method.strip(), path}));
            }
        }
        return calls;
    }

    private static HttpRequest request(RunningRole core, String[] call, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(core.baseUrl() + call[1]))
                .timeout(Duration.ofSeconds(30))
                .method(call[0], call[0].equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JOB))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
