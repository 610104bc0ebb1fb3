package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Asks the broker whether it accepts the core's signature: a signed {@code POST /auction} with a
 * body that is no job. Only the broker's own answer to that proves both — it checks the signature,
 * then refuses the body with 400 {@code invalid_job} (state {@code ok}). 401 with
 * {@code WWW-Authenticate: Offgrid-HMAC} means the keys do not match ({@code auth_rejected}), 5xx a
 * broker in trouble ({@code error}); any other answer (404, 405, a 200, a 400 without
 * {@code invalid_job}, a 401 without that challenge) comes from something that is not the broker
 * ({@code not_a_broker}). The answer is kept for {@code offgrid.core.probe-cache-ms} so
 * {@code /api/status} never floods the broker. The probe goes out through Camel's http component, the
 * same client as the dispatch itself.
 */
public final class BrokerProbe {
    /** The broker's answer to a body that is no Offgrid request, given only after the signature passed. */
    private static final String INVALID_JOB = "invalid_job";

    private final URI auctionUri;
    private final String auctionPath;
    private final RequestSigner signer;
    private final String endpointUri;
    private final long cacheMillis;
    private final Clock clock;
    private final ProducerTemplate http;
    private ObjectNode last;
    private long lastAt;

    public BrokerProbe(CoreSettings settings, RequestSigner signer, Clock clock, ProducerTemplate http) {
        this.auctionUri = settings.auctionUri();
        this.auctionPath = settings.auctionPath();
        this.signer = signer;
        this.endpointUri = auctionUri + "?throwExceptionOnFailure=false&connectTimeout=" + settings.probeTimeoutMs()
                + "&responseTimeout=" + settings.probeTimeoutMs();
        this.cacheMillis = settings.probeCacheMs();
        this.clock = clock;
        this.http = http;
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
        Exchange answer = http.request(endpointUri, exchange -> {
            Message request = exchange.getMessage();
            request.setHeader(Exchange.HTTP_METHOD, "POST");
            request.setHeader(Exchange.CONTENT_TYPE, "application/json");
            request.setHeader("X-Offgrid-Probe", "true");
            signer.sign("POST", auctionPath, SignedHeaders.BROKER_AUDIENCE, body).asMap().forEach(request::setHeader);
            request.setBody(body);
        });
        Exception failure = answer.getException();
        if (failure != null) {
            result.put("state", "unreachable");
            result.put("detail", "no answer from " + auctionUri + " (" + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
            return result;
        }
        Message response = answer.getMessage();
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String error = error(response.getBody(String.class));
        result.put("http_status", status);
        if (status == 400 && INVALID_JOB.equals(error)) {
            result.put("state", "ok");
            result.put("detail", "the broker accepted the signed probe");
        } else if (status == 401 && SignedHeaders.CHALLENGE.equals(response.getHeader("WWW-Authenticate", "", String.class))) {
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
        return result;
    }

    private static String error(String body) {
        if (body == null || body.isEmpty()) {
            return "";
        }
        try {
            JsonNode json = Json.mapper().readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show the start of it
        }
        return body.substring(0, Math.min(body.length(), 120));
    }
}
