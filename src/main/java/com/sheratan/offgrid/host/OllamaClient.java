package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.apache.camel.ExchangeProperty;

/**
 * The kind {@code llm_call}: forwards {@code args.prompt} to an Ollama-compatible endpoint,
 * {@code POST {offgrid.host.llm-url}/api/generate {model, prompt, stream:false}}, and answers with its
 * {@code response} text. One HTTP client per host, made once.
 */
public final class OllamaClient {
    private final URI generateUri;
    private final String defaultModel;
    private final Duration timeout;
    private final HttpClient client;

    public OllamaClient(String baseUrl, String defaultModel, Duration timeout) {
        String base = baseUrl.replaceAll("/+$", "");
        // no URL configured: llm_call is not among the host's kinds, and this client refuses it
        this.generateUri = base.isBlank() ? null : URI.create(base + "/api/generate");
        this.defaultModel = defaultModel;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code {prompt, model?, options?}} → output = the model's answer; result = the endpoint's answer without its context. */
    public JobOutcome generate(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        if (generateUri == null) {
            throw new JobFailure(RunErrorCode.UNSUPPORTED_KIND, "llm_call needs offgrid.host.llm-url, which this host has not set");
        }
        JsonNode prompt = args.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.textValue().isBlank()) {
            throw JobFailure.invalidArgs("llm_call needs args.prompt (a non-empty string)");
        }
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("model", args.path("model").isTextual() ? args.get("model").textValue() : defaultModel);
        request.put("prompt", prompt.textValue());
        request.put("stream", false);
        if (args.path("options").isObject()) {
            request.set("options", args.get("options"));
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(generateUri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(request))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " is unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(RunErrorCode.FAILED, "interrupted while waiting for the LLM endpoint", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " answered HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.path("response").isTextual()) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " answered without a 'response' text");
        }
        ObjectNode result = ((ObjectNode) answer).deepCopy();
        result.remove("context");
        return new JobOutcome(answer.get("response").textValue(), result);
    }
}
