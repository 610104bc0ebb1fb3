package com.sheratan.offgrid.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.ClaimToken;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** One test per row of the table in SPEC section 3. */
class SchemaMapperTest {
    private static final long NOW = 1767225600L;
    private static final SchemaMapper MAPPER = new SchemaMapper("shared-secret",
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    private static OffgridRequest map(String json) {
        try {
            ObjectNode job = (ObjectNode) Json.mapper().readTree(json);
            return MAPPER.map(job.path("job_id").asText("job-1"), job, "attempt-1", "req-1");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String prompt(int chars) {
        return "x".repeat(chars);
    }

    @Test
    void jobIdIsTheJobsId() {
        OffgridRequest request = map("{\"job_id\":\"abc-1\",\"kind\":\"echo\"}");
        assertEquals("abc-1", request.jobId());
        assertEquals("abc-1", request.job().jobId());
    }

    @Test
    void typeIsStorageForFileKindsAndComputeOtherwise() {
        for (String kind : new String[] {"read_file", "write_file", "rewrite_file", "list_files"}) {
            assertEquals("storage", map("{\"kind\":\"" + kind + "\"}").type(), kind);
        }
        assertEquals("compute", map("{\"kind\":\"echo\"}").type());
        assertEquals("compute", map("{\"kind\":\"sha256\"}").type());
        OffgridRequest noKind = map("{}");
        assertEquals("compute", noKind.type());
        assertEquals("llm_call", noKind.job().kind());
        assertEquals("llm_call", noKind.meta().kind());
    }

    @Test
    void sizeFollowsTheKind() {
        assertEquals(4000 / 4 / 1e6, map("{\"kind\":\"llm_call\",\"payload\":{\"prompt\":\"" + prompt(4000) + "\"}}").size(), 1e-12);
        assertEquals(0.001, map("{\"kind\":\"llm_call\",\"payload\":{\"prompt\":\"hi\"}}").size(), 1e-12);
        assertEquals(0.1, map("{\"kind\":\"llm_call\",\"payload\":{\"prompt\":42}}").size(), 1e-12);
        assertEquals(0.1, map("{\"kind\":\"llm_call\"}").size(), 1e-12);
        assertEquals(8000 / 4 / 1e6, map("{\"kind\":\"agent_plan\",\"params\":{\"prompt\":\"" + prompt(8000) + "\"}}").size(), 1e-12);
        assertEquals(0.01, map("{\"kind\":\"list_files\"}").size(), 1e-12);
        assertEquals(0.05, map("{\"kind\":\"read_file\"}").size(), 1e-12);
        assertEquals(0.01, map("{\"kind\":\"write_file\",\"payload\":{\"content\":\"small\"}}").size(), 1e-12);
        assertEquals(80000 / 4 / 1e6, map("{\"kind\":\"rewrite_file\",\"payload\":{\"content\":\"" + prompt(80000) + "\"}}").size(), 1e-12);
        assertEquals(0.1, map("{\"kind\":\"echo\",\"payload\":{\"text\":\"" + prompt(80000) + "\"}}").size(), 1e-12);
    }

    @Test
    void sizeCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00".repeat(8000); // 8,000 characters, 16,000 UTF-16 units
        assertEquals(8000 / 4 / 1e6, map("{\"kind\":\"llm_call\",\"payload\":{\"prompt\":\"" + emoji + "\"}}").size(), 1e-12);
        String content = "\uD83D\uDE00".repeat(80_000);
        assertEquals(80_000 / 4 / 1e6, map("{\"kind\":\"write_file\",\"payload\":{\"content\":\"" + content + "\"}}").size(),
                1e-12);
        String b64 = java.util.Base64.getEncoder().encodeToString(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(80_000 / 4 / 1e6, map("{\"kind\":\"write_file\",\"payload\":{\"content_b64\":\"" + b64 + "\"}}").size(),
                1e-12, "given as content_b64, the same text measures the same");
    }

    @Test
    void latencyIsMaxLatencyOfTheConstraintsDefault5000() {
        assertEquals(5000, map("{\"kind\":\"echo\"}").latencyMs());
        assertEquals(1200, map("{\"kind\":\"echo\",\"constraints\":{\"max_latency_ms\":1200}}").latencyMs());
    }

    @Test
    void constraintsAreDefaultsThenParamsThenPayloadThenTheJobsOwn() {
        OffgridRequest defaults = map("{\"kind\":\"echo\"}");
        assertEquals(5000, defaults.constraints().get("max_latency_ms").asInt());
        assertFalse(defaults.constraints().get("min_mesh_health").asBoolean());

        OffgridRequest layered = map("{\"kind\":\"echo\","
                + "\"params\":{\"constraints\":{\"max_latency_ms\":1,\"min_mesh_health\":true,\"a\":\"params\",\"b\":\"params\",\"c\":\"params\"}},"
                + "\"payload\":{\"constraints\":{\"max_latency_ms\":2,\"b\":\"payload\",\"c\":\"payload\"}},"
                + "\"constraints\":{\"max_latency_ms\":3,\"c\":\"job\"}}");
        assertEquals(3, layered.constraints().get("max_latency_ms").asInt());
        assertTrue(layered.constraints().get("min_mesh_health").asBoolean());
        assertEquals("params", layered.constraints().get("a").asText());
        assertEquals("payload", layered.constraints().get("b").asText());
        assertEquals("job", layered.constraints().get("c").asText());
        assertEquals(3, layered.latencyMs());
    }

    @Test
    void metaCarriesMissionTaskKindAndCoreVersion() {
        OffgridRequest request = map("{\"kind\":\"echo\",\"mission_id\":\"m-1\",\"task_id\":\"t-1\"}");
        assertEquals(new OffgridRequest.Meta("m-1", "t-1", "echo", "v2"), request.meta());
        JsonNode wire = Json.mapper().valueToTree(map("{\"kind\":\"echo\"}"));
        assertTrue(wire.path("meta").has("mission_id"));
        assertTrue(wire.path("meta").get("mission_id").isNull());
        assertEquals("v2", wire.path("meta").path("core_version").asText());
    }

    @Test
    void jobIsJobSpecV1WithMergedArgsDeadlineAndClaimToken() {
        OffgridRequest request = map("{\"job_id\":\"job-123\",\"kind\":\"echo\","
                + "\"params\":{\"text\":\"from params\",\"lang\":\"en\"},\"payload\":{\"text\":\"from payload\"}}");
        assertEquals(1, request.job().contractVersion());
        assertEquals("attempt-1", request.job().attemptId());
        assertEquals("req-1", request.job().reqUid());
        assertEquals("echo", request.job().kind());
        assertEquals("from payload", request.job().args().get("text").asText());
        assertEquals("en", request.job().args().get("lang").asText());
        assertEquals(NOW + 300, request.job().deadlineTs());
        assertEquals(ClaimToken.compute("shared-secret", "job-123", "attempt-1", NOW + 300), request.job().claimToken());
        assertTrue(request.job().claimToken().matches("[0-9a-f]{64}"));

        JsonNode wire = Json.mapper().valueToTree(request).get("job");
        for (String field : new String[] {"contract_version", "job_id", "req_uid", "attempt_id", "kind", "args",
            "deadline_ts", "claim_token"}) {
            assertTrue(wire.has(field), field);
        }
    }

    @Test
    void fileWriteArgsAreWhatTheOriginalHostsExpect() {
        JsonNode args = map("{\"kind\":\"write_file\",\"payload\":{\"path\":\"a.txt\",\"content\":\"héllo\",\"extra\":1}}").job().args();
        assertEquals("a.txt", args.get("path").asText());
        assertEquals(java.util.Base64.getEncoder().encodeToString("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                args.get("content_b64").asText());
        assertEquals(10, args.get("limit_mb").asInt());
        assertEquals(3, args.size());

        JsonNode fromFile = map("{\"kind\":\"rewrite_file\",\"payload\":{\"file\":\"b.txt\",\"content_b64\":\"aGk=\",\"limit_mb\":2}}").job().args();
        assertEquals("b.txt", fromFile.get("path").asText());
        assertEquals("aGk=", fromFile.get("content_b64").asText());
        assertEquals(2, fromFile.get("limit_mb").asInt());

        JsonNode fromParams = map("{\"kind\":\"write_file\",\"params\":{\"file\":\"c.txt\"},\"payload\":{\"content\":\"x\"}}").job().args();
        assertEquals("c.txt", fromParams.get("path").asText());
        JsonNode payloadPathWins = map("{\"kind\":\"write_file\",\"params\":{\"path\":\"p.txt\"},\"payload\":{\"file\":\"f.txt\"}}").job().args();
        assertEquals("f.txt", payloadPathWins.get("path").asText());
    }

    @Test
    void reqIdIsTheCorrelationId() {
        OffgridRequest request = map("{\"kind\":\"echo\"}");
        assertEquals("req-1", request.reqId());
        assertEquals("req-1", Json.mapper().valueToTree(request).get("req_id").asText());
        assertNull(Json.mapper().valueToTree(request).get("reqId"));
    }
}
