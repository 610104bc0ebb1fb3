package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * Reads the broker's answer to {@code POST /auction} (SPEC section 7): a 200 with the expected JSON
 * is kept for the reply; everything else becomes a {@link DispatchFailure} with a reason code of
 * SPEC §5 (the file queue's {@code reason}; the 401 as a configuration error is SPEC §4) — 503
 * retryable, 401 logged at ERROR. docs/core.md (Dispatch) says which answer gets which reason.
 */
public final class BrokerAnswer implements Processor {
    private static final Logger LOG = EscapingLogger.of(BrokerAnswer.class);

    private final BrokerHealth health;

    public BrokerAnswer(BrokerHealth health) {
        this.health = health;
    }

    @Override
    public void process(Exchange exchange) throws DispatchFailure {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        JsonNode json = parse(body);
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        if (status == 200) {
            if (json == null || !json.isObject() || !json.path("ok").isBoolean()) {
                throw new DispatchFailure(FallbackReason.BROKER_ERROR,
                        "broker answered 200 without the expected JSON {status, ok, …}: " + excerpt(body), false);
            }
            health.accepted();
            exchange.setProperty(CoreExchange.BROKER_ANSWER, json);
            return;
        }
        String error = json == null ? excerpt(body) : json.path("error").asText(excerpt(body));
        if (status == 401) {
            health.authRejected(error);
            LOG.error("job {}: the broker at {} rejected the core's signature ({}): OFFGRID_AUTH_KEY/OFFGRID_AUTH_KEYS"
                            + " and OFFGRID_AUTH_KEY_ID must match the broker's keys (key id '{}')", jobId,
                    health.brokerUrl(), error, health.keyId());
            throw new DispatchFailure(FallbackReason.AUTH_REJECTED, "broker answered 401 " + error, false);
        }
        if (status == 503) {
            String reason = "no_hosts_available".equals(error) ? FallbackReason.NO_HOSTS : FallbackReason.BROKER_ERROR;
            throw new DispatchFailure(reason, "broker answered 503 " + error, true);
        }
        throw new DispatchFailure(FallbackReason.BROKER_ERROR, "broker answered " + status + " " + error, false);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return text.replaceAll("\\s+", " ");
    }
}
