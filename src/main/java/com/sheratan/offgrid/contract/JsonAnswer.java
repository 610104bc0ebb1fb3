package com.sheratan.offgrid.contract;

import java.nio.ByteBuffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts a JSON HTTP answer on a message, for every role: the request's headers are dropped (none may
 * leak into the answer; a caller adds back what it means to send), then status, content type and
 * body. The body goes out as a {@link ByteBuffer}: platform-http-vertx writes one in a single
 * {@code end(...)}, while a {@code byte[]} is turned into an {@code InputStream} and pumped to the
 * socket in 8 KiB buffers over several event-loop turns (measured: about a quarter of the bytes the
 * mesh allocated, and more event-loop CPU per job).
 */
public final class JsonAnswer {
    public static final String CONTENT_TYPE = "application/json";

    private JsonAnswer() {
    }

    public static Message put(Message message, int status, byte[] json) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setBody(ByteBuffer.wrap(json));
        return message;
    }
}
