package com.sheratan.offgrid.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of every host route: writes the body ({@link HttpAnswer}, or any value for 200) as
 * JSON and drops the request's headers, so none of them leak into the answer (only the caller's
 * {@code X-Request-Id} goes back).
 */
public final class JsonReply implements Processor {
    /** The caller's correlation id: kept in logs and sent back with the answer. */
    static final String REQUEST_ID = "X-Request-Id";

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        HttpAnswer answer = body instanceof HttpAnswer a ? a : HttpAnswer.ok(body);
        Object requestId = message.getHeader(REQUEST_ID);
        JsonAnswer.put(message, answer.status(), Json.mapper().writeValueAsBytes(answer.body()));
        if (requestId != null) {
            message.setHeader(REQUEST_ID, requestId);
        }
    }
}
