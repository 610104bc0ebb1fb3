package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Asks the broker whether it accepts the core's signature: a signed {@code POST /auction} with a
 * body that is no job. Only the broker's own answer to that proves both — it checks the signature,
 * then refuses the body with 400 {@code invalid_job} (state {@code ok}). 401 with
 * {@code WWW-Authenticate: Offgrid-HMAC} means the keys do not match ({@code auth_rejected}), 5xx a
 * broker in trouble ({@code error}); any other answer (404, 405, a 200, a 400 without
 * {@code invalid_job}, a 401 without that challenge) comes from something that is not the broker
 * ({@code not_a_broker}). The answer is kept for {@code offgrid.core.probe-cache-ms} so
 * {@code /api/status} never floods the broker.
 */
public final class BrokerProbe {
    /** The broker's answer to a body that is no Offgrid request, given only after the signature passed. */
    private static final String INVALID_JOB = "invalid_job";

    private final URI auctionUri;
    private final String auctionPath;
    private final RequestSigner signer;
    private final Duration timeout;
    private final long cacheMillis;
    private final Clock clock;
    private final HttpClient client;
    private ObjectNode last;
    private long lastAt;

    public BrokerProbe(CoreSettings settings, RequestSigner signer, Clock clock) {
        this.auctionUri = settings.auctionUri();
        this.auctionPath = settings.auctionPath();
        this.signer = signer;
        this.timeout = Duration.ofMillis(settings.probeTimeoutMs());
        this.cacheMillis = settings.probeCacheMs();
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public synchronized ObjectNode current() {
        long now = clock.millis();
        if (last == null || now - lastAt >= cacheMillis) {
            last = probe();
            lastAt = now;
        }
        return last.deepCopy();
    }

    private ObjectNode probe() {
        ObjectNode result = Json.object();
        result.put("checked_at", clock.instant().toString());
        byte[] body = ("{\"probe\":true,\"req_id\":\"probe-" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(auctionUri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Offgrid-Probe", "true")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", auctionPath, body).asMap().forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String error = error(response.body());
            result.put("http_status", status);
            if (status == 400 && INVALID_JOB.equals(error)) {
                result.put("state", "ok");
                result.put("detail", "the broker accepted the signed probe");
            } else if (status == 401 && SignedHeaders.CHALLENGE.equals(
                    response.headers().firstValue("WWW-Authenticate").orElse(""))) {
                result.put("state", "auth_rejected");
                result.put("detail", "the broker rejected the core's signature (" + error
                        + "): check OFFGRID_AUTH_KEY / OFFGRID_AUTH_KEYS / OFFGRID_AUTH_KEY_ID");
            } else if (status >= 500) {
                result.put("state", "error");
                result.put("detail", "the broker answered " + status + " " + error);
            } else {
                result.put("state", "not_a_broker");
                result.put("detail", "POST " + auctionUri + " answered " + status + " " + error + ", not the broker's 400 "
                        + INVALID_JOB + " to a signed probe: check that OFFGRID_BROKER_URL is the broker's base URL");
            }
        } catch (IOException e) {
            result.put("state", "unreachable");
            result.put("detail", "no answer from " + auctionUri + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.put("state", "unreachable");
            result.put("detail", "interrupted");
        }
        return result;
    }

    private static String error(String body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show the start of it
        }
        return body == null ? "" : body.substring(0, Math.min(body.length(), 120));
    }
}
