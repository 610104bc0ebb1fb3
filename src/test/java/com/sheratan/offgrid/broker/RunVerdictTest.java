package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The interop rules: which host answers make the broker fail over, and which it passes through. */
class RunVerdictTest {
    private static RunVerdict.Kind verdict(int status, String body) throws IOException {
        JsonNode json = body == null ? null : Json.mapper().readTree(body);
        return RunVerdict.of(new HostClient.Answer(status, json, null)).kind();
    }

    @Test
    void hostProblemsFailOver() throws IOException {
        assertEquals(RunVerdict.Kind.FAILS_OVER, RunVerdict.of(new HostClient.Answer(0, null, "connection refused")).kind());
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(200, null));
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(401, "{\"error\":\"bad_signature\"}"));
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(403, "{\"ok\":false,\"error_code\":\"UNAUTHORIZED\"}"));
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(422, "{\"ok\":false,\"error_code\":\"UNSUPPORTED_KIND\"}"));
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(503, "{\"error\":\"overloaded\"}"));
        assertEquals(RunVerdict.Kind.FAILS_OVER, verdict(200, "[1]"));
    }

    @Test
    void jobFailuresPassThrough() throws IOException {
        assertEquals(RunVerdict.Kind.PASSED_THROUGH, verdict(400, "{\"ok\":false,\"error_code\":\"INVALID_ARGS\"}"));
        // still running after the broker asked again for a run timeout: never run on a second host
        assertEquals(RunVerdict.Kind.PASSED_THROUGH, verdict(409, "{\"ok\":false,\"error_code\":\"IN_PROGRESS\"}"));
        assertEquals(RunVerdict.Kind.PASSED_THROUGH, verdict(403, "{\"ok\":false,\"error_code\":\"DEADLINE_EXCEEDED\"}"));
        assertEquals(RunVerdict.Kind.PASSED_THROUGH, verdict(500, "{\"ok\":false,\"error_code\":\"FAILED\"}"));
    }

    @Test
    void onlyFailedJobsAndOlderHostsFailedResultsCountAgainstTheHost() throws IOException {
        RunVerdict olderFailed = RunVerdict.of(new HostClient.Answer(200,
                Json.mapper().readTree("{\"result\":{\"ok\":false}}"), null));
        assertEquals(RunVerdict.Kind.PASSED_THROUGH, olderFailed.kind());
        assertFalse(olderFailed.ok());
        assertTrue(olderFailed.countsAgainstHost());
        assertTrue(RunVerdict.of(new HostClient.Answer(500,
                Json.mapper().readTree("{\"ok\":false,\"error_code\":\"FAILED\"}"), null)).countsAgainstHost());
        assertFalse(RunVerdict.of(new HostClient.Answer(400,
                Json.mapper().readTree("{\"ok\":false,\"error_code\":\"INVALID_ARGS\"}"), null)).countsAgainstHost());
        assertTrue(RunVerdict.of(new HostClient.Answer(200,
                Json.mapper().readTree("{\"result\":{\"ok\":true}}"), null)).ok());
    }

    @Test
    void successIncludingOlderHosts() throws IOException {
        assertEquals(RunVerdict.Kind.DONE, verdict(200, "{\"ok\":true,\"output\":\"x\"}"));
        assertEquals(RunVerdict.Kind.DONE, verdict(200, "{\"result\":{\"text\":\"x\"}}"));
    }
}
