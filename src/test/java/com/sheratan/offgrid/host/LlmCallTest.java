package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llm_call is offered only with offgrid.host.llm-url, and forwards the prompt Ollama-style. */
class LlmCallTest {
    @TempDir
    Path home;

    @Test
    void forwardsThePromptToTheConfiguredEndpoint() {
        try (FakeOllama ollama = new FakeOllama(); TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-llm", Map.of("offgrid.host.llm-url", ollama.url() + "/",
                    "offgrid.host.llm-model", "tiny")));
            assertTrue(json(calls.get("/announce")).get("kinds").toString().contains("llm_call"));
            assertEquals(200, calls.get("/quote?type=compute&size=0.5&kind=llm_call").statusCode());

            HttpResponse<String> response = calls.run(HostCalls.job("llm_call", Map.of("prompt", "why is the sky blue?")));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = json(response);
            assertEquals("answer to: why is the sky blue?", body.get("output").asText());
            assertEquals("tiny", body.get("result").get("model").asText());
            assertFalse(body.get("result").has("context"));
            JsonNode sent = ollama.requests.get(0);
            assertEquals("why is the sky blue?", sent.get("prompt").asText());
            assertEquals("tiny", sent.get("model").asText());
            assertFalse(sent.get("stream").asBoolean());

            JsonNode own = json(calls.run(HostCalls.job("llm_call", Map.of("prompt", "hi", "model", "bigger"))));
            assertEquals("bigger", own.get("result").get("model").asText());

            HttpResponse<String> noPrompt = calls.run(HostCalls.job("llm_call", Map.of()));
            assertEquals(400, noPrompt.statusCode());
            assertEquals("INVALID_ARGS", json(noPrompt).get("error_code").asText());
        }
    }

    @Test
    void notOfferedWithoutAnEndpoint() {
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-plain", Map.of()));
            assertFalse(json(calls.get("/announce")).get("kinds").toString().contains("llm_call"));
            HttpResponse<String> quote = calls.get("/quote?type=compute&size=0.5&kind=llm_call");
            assertEquals(422, quote.statusCode());
            assertEquals("UNSUPPORTED_KIND", json(quote).get("error").asText());
        }
    }

    @Test
    void unreachableEndpointFailsTheJob() {
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-down",
                    Map.of("offgrid.host.llm-url", "http://127.0.0.1:" + Ports.free())));
            HttpResponse<String> response = calls.run(HostCalls.job("llm_call", Map.of("prompt", "anyone there?")));
            assertEquals(500, response.statusCode());
            JsonNode body = json(response);
            assertFalse(body.get("ok").asBoolean());
            assertEquals("FAILED", body.get("error_code").asText());
            assertTrue(body.get("error").asText().contains("unreachable"), body.toString());
        }
    }
}
