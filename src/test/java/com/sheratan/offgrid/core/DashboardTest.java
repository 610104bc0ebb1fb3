package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 14, the dashboard over plain HTTP: every asset from the core itself, and the event stream. */
class DashboardTest {
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
    void everyAssetThePageNamesIsServedByTheCore() {
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
        RunningRole core = roles.core(Map.of());
        HttpResponse<String> page = http.get(core.baseUrl() + "/ui/");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        int count = 0;
        while (assets.find()) {
            String asset = assets.group(1);
            assertTrue(!asset.startsWith("http") && !asset.startsWith("//"), "an asset from elsewhere: " + asset);
            HttpResponse<String> served = http.get(core.baseUrl() + "/ui/" + asset);
            assertEquals(200, served.statusCode(), asset);
            count++;
        }
        assertEquals(4, count, "the page names uPlot's script and style and its own");
        assertEquals(404, http.get(core.baseUrl() + "/ui/nothing.js").statusCode());
    }

    @Test
    void eventStreamSendsRatesThenTheOutcomeOfEachJob() throws Exception {
        roles = new TestRoles(home, Map.of("OFFGRID_MODE", "disabled"));
        RunningRole core = roles.core(Map.of());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(core.baseUrl() + "/api/events"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse(""));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 2000", lines.readLine());
            lines.readLine();
            assertEquals("event: rates", lines.readLine());
            assertEquals(202, http.postJson(core.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"streamed-1\",\"kind\":\"echo\",\"payload\":{}}").statusCode());
            String line;
            boolean seen = false;
            while (!seen && (line = lines.readLine()) != null) {
                seen = line.startsWith("data: {\"job_id\":\"streamed-1\",\"status\":\"queued\"");
            }
            assertTrue(seen, "the job's outcome never came through /api/events");
        }
    }
}
