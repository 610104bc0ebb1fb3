package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.deadBrokerUrl;
import static com.sheratan.offgrid.core.CoreTesting.settings;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 14, jobs: the list's filters and POST /api/jobs/{id}/retry. */
class JobsApiTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private TestBroker broker;
    private TestRoles roles;

    @BeforeEach
    void start() {
        broker = new TestBroker();
        roles = new TestRoles(home);
    }

    @AfterEach
    void stop() {
        roles.close();
        broker.close();
    }

    private HttpResponse<String> submit(RunningRole core, String jobId, String mission) {
        return http.postJson(core.baseUrl() + "/api/jobs", "{\"job_id\":\"" + jobId + "\",\"kind\":\"echo\","
                + "\"mission_id\":" + (mission == null ? "null" : "\"" + mission + "\"") + ",\"payload\":{\"text\":\"x\"}}");
    }

    private List<String> ids(RunningRole core, String query) {
        HttpResponse<String> page = http.get(core.baseUrl() + "/api/jobs" + query);
        assertEquals(200, page.statusCode(), page.body());
        List<String> ids = new ArrayList<>();
        json(page).path("jobs").forEach(job -> ids.add(job.path("job_id").asText()));
        return ids;
    }

    @Test
    void listFiltersByStatusMethodAndMission() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        assertEquals(200, submit(core, "done-1", "m-1").statusCode());
        assertEquals(200, submit(core, "done-2", "m-2").statusCode());
        broker.close();
        assertEquals(202, submit(core, "queued-1", "m-1").statusCode());

        assertEquals(List.of("done-2", "done-1"), ids(core, "?status=completed"));
        assertEquals(List.of("queued-1"), ids(core, "?method=file_queue"));
        assertEquals(List.of("queued-1", "done-1"), ids(core, "?mission_id=m-1"));
        assertEquals(List.of("done-1"), ids(core, "?mission_id=m-1&method=offgrid"));
        assertEquals(List.of("done-2"), ids(core, "?status=completed&limit=1"));
        assertEquals(List.of(), ids(core, "?status=failed"));
    }

    @Test
    void unknownFilterValuesAndParametersAre400() {
        RunningRole core = roles.core(settings(broker.url(), "auto"));
        for (String query : new String[] {"?status=lost", "?method=carrier_pigeon", "?colour=red", "?limit=x"}) {
            HttpResponse<String> answer = http.get(core.baseUrl() + "/api/jobs" + query);
            assertEquals(400, answer.statusCode(), query + ": " + answer.body());
            assertEquals("invalid_query", json(answer).path("error").asText(), answer.body());
        }
    }

    @Test
    void retryDispatchesAQueuedJobAgainAndMovesItsQueueFileAside() throws Exception {
        String brokerUrl = broker.url();
        broker.close();
        RunningRole core = roles.core(settings(brokerUrl, "auto"));
        assertEquals(202, submit(core, "later-1", null).statusCode());
        Path queueFile = home.resolve("webrelay_out/later-1.job.json");
        assertTrue(Files.exists(queueFile));

        // the broker is still down: the retry is a new attempt that is queued again
        HttpResponse<String> again = http.post(core.baseUrl() + "/api/jobs/later-1/retry", new byte[0],
                java.util.Map.of());
        assertEquals(202, again.statusCode(), again.body());
        assertEquals("queued", json(again).path("status").asText());
        JsonNode job = json(http.get(core.baseUrl() + "/api/jobs/later-1"));
        assertEquals(2, job.path("attempts").asInt(), job.toString());
        assertTrue(Files.exists(home.resolve("webrelay_out/.retried/later-1.job.json")));
    }

    @Test
    void retryOfAFailedJobRunsItAndACompletedJobIs409() {
        TestBroker working = broker;
        RunningRole core = roles.core(settings(deadBrokerUrl(), "offgrid"));
        assertEquals(503, submit(core, "failed-1", null).statusCode());
        assertEquals("failed", json(http.get(core.baseUrl() + "/api/jobs/failed-1")).path("status").asText());

        // the same core cannot be pointed elsewhere, so a second core on the same store retries it
        roles.close();
        RunningRole fixed = roles.core(settings(working.url(), "offgrid"));
        HttpResponse<String> retried = http.post(fixed.baseUrl() + "/api/jobs/failed-1/retry", new byte[0],
                java.util.Map.of());
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("completed", json(retried).path("status").asText(), retried.body());

        HttpResponse<String> refused = http.post(fixed.baseUrl() + "/api/jobs/failed-1/retry", new byte[0],
                java.util.Map.of());
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("not_retryable", json(refused).path("error").asText());
        assertEquals("completed", json(refused).path("status").asText());
        assertFalse(http.post(fixed.baseUrl() + "/api/jobs/nobody/retry", new byte[0], java.util.Map.of())
                .statusCode() < 400);
    }
}
