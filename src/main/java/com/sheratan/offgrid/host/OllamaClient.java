package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * The kind {@code llm_call}: forwards {@code args.prompt} to an Ollama-compatible endpoint,
 * {@code POST {offgrid.host.llm-url}/api/generate {model, prompt, stream:false}}, and answers with its
 * {@code response} text, through Camel's http component (the client every role's calls go out on).
 */
public final class OllamaClient {
    private final URI generateUri;
    private final String defaultModel;
    private final Duration timeout;
    private final String endpointUri;
    private final ProducerTemplate http;

    public OllamaClient(String baseUrl, String defaultModel, Duration timeout, ProducerTemplate http) {
        String base = baseUrl.replaceAll("/+$", "");
        // no URL configured: llm_call is not among the host's kinds, and this client refuses it
        this.generateUri = base.isBlank() ? null : URI.create(base + "/api/generate");
        this.defaultModel = defaultModel;
        this.timeout = timeout;
        this.endpointUri = generateUri + "?throwExceptionOnFailure=false&connectTimeout=5000&responseTimeout="
                + timeout.toMillis();
        this.http = http;
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
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(request);
        } catch (IOException e) {
            throw new JobFailure(RunErrorCode.FAILED, "cannot write the LLM request: " + e.getMessage(), e);
        }
        Exchange answer = http.request(endpointUri, exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(body);
        });
        Exception failure = answer.getException();
        if (failure instanceof SocketTimeoutException) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " did not answer within " + timeout.toMillis() + " ms", failure);
        } else if (failure != null) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " is unreachable: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()), failure);
        }
        Message response = answer.getMessage();
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status / 100 != 2) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " answered HTTP " + status);
        }
        JsonNode generated;
        try {
            generated = Json.mapper().readTree(response.getBody(byte[].class));
        } catch (IOException | IllegalArgumentException e) {
            generated = null;
        }
        if (generated == null || !generated.path("response").isTextual()) {
            throw new JobFailure(RunErrorCode.FAILED, "the LLM endpoint " + generateUri + " answered without a 'response' text");
        }
        ObjectNode result = ((ObjectNode) generated).deepCopy();
        result.remove("context");
        return new JobOutcome(generated.get("response").textValue(), result);
    }
}
