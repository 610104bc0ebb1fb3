package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
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
 * body that is no job. A broker that checked the signature answers 400 {@code invalid_job} (state
 * {@code ok}); 401 means the keys do not match ({@code auth_rejected}). The answer is kept for
 * {@code offgrid.core.probe-cache-ms} so {@code /api/status} never floods the broker.
 */
public final class BrokerProbe {
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
        ObjectNode result = HttpReply.object();
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
            result.put("http_status", status);
            if (status == 401) {
                result.put("state", "auth_rejected");
                result.put("detail", "the broker rejected the core's signature (" + error(response.body())
                        + "): check OFFGRID_AUTH_KEY / OFFGRID_AUTH_KEYS / OFFGRID_AUTH_KEY_ID");
            } else if (status >= 500) {
                result.put("state", "error");
                result.put("detail", "the broker answered " + status + " " + error(response.body()));
            } else {
                result.put("state", "ok");
                result.put("detail", "the broker accepted the signed probe");
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
