package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core keeps each job's charge and totals a mission's (SPEC section 12), with a real broker and host. */
class CoreJobCostTest {
    @TempDir
    Path home;

    private TestRoles roles;
    private RunningRole broker;
    private RunningRole core;
    private final Http http = new Http();

    @BeforeEach
    void startMesh() {
        roles = new TestRoles(home);
        roles.onlyDiscoveredHost("host-a");
        broker = roles.broker(Map.of());
        core = startCore();
    }

    private RunningRole startCore() {
        return roles.core(Map.of("offgrid.broker-url", broker.baseUrl(), "offgrid.mode", "auto"));
    }

    @AfterEach
    void stopMesh() {
        roles.close();
    }

    private JsonNode submit(String jobId, String missionId, String text) {
        String mission = missionId == null ? "" : ",\"mission_id\":\"" + missionId + "\"";
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"" + jobId + "\",\"kind\":\"echo\"" + mission + ",\"payload\":{\"text\":\"" + text + "\"}}");
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer);
    }

    @Test
    void aCompletedJobShowsItsChargeAlsoAfterARestart() {
        submit("cost-1", "m-1", "hello");
        JsonNode cost = json(http.get(core.baseUrl() + "/api/jobs/cost-1")).path("cost");
        JsonNode entry = json(http.get(broker.baseUrl() + "/ledger/jobs/cost-1")).path("entries").get(0);
        assertEquals(entry.path("entry").path("amount").asText(), cost.path("amount").asText(), cost.toString());
        assertEquals(entry.path("seq").asLong(), cost.path("ledger_seq").asLong());
        assertEquals(entry.path("leaf_hash").asText(), cost.path("leaf_hash").asText());
        assertEquals("mission:m-1", entry.path("entry").path("payer").asText(), "the mission pays");

        roles.stop(core);
        core = startCore();
        assertEquals(cost, json(http.get(core.baseUrl() + "/api/jobs/cost-1")).path("cost"), "kept with the job");
    }

    @Test
    void aMissionsCostIsTheExactSumOfItsJobs() {
        submit("m1-a", "m-1", "a");
        submit("m1-b", "m-1", "a much longer text to make a different size and so a different quote");
        submit("m2-a", "m-2", "b");
        submit("none-a", null, "c");

        JsonNode mission = json(http.get(core.baseUrl() + "/api/missions/m-1/cost"));
        assertEquals(2, mission.path("charged_jobs").asInt(), mission.toString());
        BigDecimal expected = BigDecimal.ZERO;
        for (String job : new String[] {"m1-a", "m1-b"}) {
            expected = expected.add(new BigDecimal(json(http.get(core.baseUrl() + "/api/jobs/" + job))
                    .path("cost").path("amount").asText()));
        }
        assertEquals(expected.setScale(9).toPlainString(), mission.path("total").asText());
        // the broker's balance for the mission's account says the same
        JsonNode balances = json(http.get(broker.baseUrl() + "/ledger/balances")).path("accounts");
        assertEquals("-" + mission.path("total").asText(), balances.path("mission:m-1").asText());
        assertEquals(1, json(http.get(core.baseUrl() + "/api/missions/none/cost")).path("charged_jobs").asInt());
        JsonNode unknown = json(http.get(core.baseUrl() + "/api/missions/m-unknown/cost"));
        assertEquals("0.000000000", unknown.path("total").asText());
        assertTrue(unknown.path("jobs").isEmpty());
    }

    @Test
    void aJobNothingWasChargedForShowsCostNull() {
        // no host offers llm_call (no offgrid.host.llm-url): the auction has no bid, the job is queued
        HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"uncharged-1\",\"kind\":\"llm_call\",\"payload\":{\"prompt\":\"hi\"}}");
        assertEquals("queued", json(answer).path("status").asText(), answer.body());
        JsonNode job = json(http.get(core.baseUrl() + "/api/jobs/uncharged-1"));
        assertTrue(job.has("cost") && job.path("cost").isNull(), job.toString());
        assertEquals(0, json(http.get(broker.baseUrl() + "/ledger/jobs/uncharged-1")).path("entries").size());
    }
}
