package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.settings;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/status} tells a broker URL that points at the wrong service from a healthy broker. */
class CoreStatusTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private HttpServer otherService;
    private TestRoles roles;

    @AfterEach
    void stop() {
        if (roles != null) {
            roles.close();
        }
        if (otherService != null) {
            otherService.stop(0);
        }
    }

    /** Some other web service on loopback: answers every request with the given status and an HTML page. */
    private String otherServiceAnswering(int status) throws IOException {
        otherService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        otherService.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] page = ("<html><body>" + status + " from another service</body></html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(status, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        otherService.start();
        return "http://127.0.0.1:" + otherService.getAddress().getPort();
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405, 200, 400, 401})
    void aBrokerUrlThatAnswersLikeAnotherServiceIsNotShownHealthy(int status) throws IOException {
        roles = new TestRoles(home);
        RunningRole core = roles.core(settings(otherServiceAnswering(status), "auto"));

        HttpResponse<String> response = http.get(core.baseUrl() + "/api/status");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode broker = json(response.body()).path("broker");
        assertEquals("not_a_broker", broker.path("state").asText(), broker.toString());
        assertEquals(status, broker.path("http_status").asInt(), broker.toString());
        assertTrue(broker.path("detail").asText().contains("answered " + status), broker.toString());
        assertTrue(broker.path("detail").asText().contains("OFFGRID_BROKER_URL"), broker.toString());
    }
}
