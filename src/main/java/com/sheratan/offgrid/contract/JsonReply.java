package com.sheratan.offgrid.contract;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of a route whose beans return their answer: writes the body (a {@link JsonAnswer},
 * or any other value as a 200) as JSON. Only the caller's {@code X-Request-Id} goes back with it.
 */
public final class JsonReply implements Processor {
    /** The caller's correlation id: kept in logs and sent back with the answer. */
    public static final String REQUEST_ID = "X-Request-Id";

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        JsonAnswer answer = body instanceof JsonAnswer a ? a : JsonAnswer.ok(body);
        Object requestId = message.getHeader(REQUEST_ID);
        answer.writeTo(message);
        if (requestId != null) {
            message.setHeader(REQUEST_ID, requestId);
        }
    }
}
