package com.sheratan.offgrid.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * An HTTP answer in JSON — a status and the body that goes with it — and the one way every role puts
 * one on a message: the request's headers are dropped (none may leak into the answer; a caller adds
 * back what it means to send, such as {@code X-Request-Id}), then status, content type and body.
 * <p>
 * The body goes out as a {@link ByteBuffer}: platform-http-vertx writes one in a single
 * {@code end(...)}, while a {@code byte[]} is turned into an {@code InputStream} and pumped to the
 * socket in 8 KiB buffers over several event-loop turns (measured: about a quarter of the bytes the
 * mesh allocated, and more event-loop CPU per job).
 *
 * @param body any value Jackson writes (a record, a map, a {@code JsonNode}), or {@code byte[]} that
 *             already are JSON
 */
public record JsonAnswer(int status, Object body) {
    public static final String CONTENT_TYPE = "application/json";

    public static JsonAnswer ok(Object body) {
        return new JsonAnswer(200, body);
    }

    /** {@code {error, detail}}: the refusal every role answers with (SPEC sections 5 and 7). */
    public static JsonAnswer error(int status, String error, String detail) {
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("detail", detail);
        return new JsonAnswer(status, body);
    }

    /** Answers {@code {error, detail}} and stops the route: nothing else happens to this request. */
    public static void refuse(Exchange exchange, int status, String error, String detail) {
        error(status, error, detail).finish(exchange);
    }

    /** Puts this answer on the message, replacing whatever the request left there. */
    public Message writeTo(Message message) {
        return put(message, status, bytes(body));
    }

    /** Puts this answer on the exchange and stops the route: nothing else happens to this request. */
    public void finish(Exchange exchange) {
        writeTo(exchange.getMessage());
        exchange.setRouteStop(true);
    }

    /** Puts bytes that already are JSON on the message. */
    public static Message put(Message message, int status, byte[] json) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setBody(ByteBuffer.wrap(json));
        return message;
    }

    /** The body as JSON bytes. */
    public static byte[] bytes(Object body) {
        if (body instanceof byte[] json) {
            return json;
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
