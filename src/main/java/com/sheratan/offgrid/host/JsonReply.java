package com.sheratan.offgrid.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sheratan.offgrid.contract.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of every host route: writes the body ({@link HttpAnswer}, or any value for 200) as
 * JSON and drops the request's headers, so none of them leak into the answer.
 */
public final class JsonReply implements Processor {
    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        HttpAnswer answer = body instanceof HttpAnswer a ? a : HttpAnswer.ok(body);
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(Json.mapper().writeValueAsBytes(answer.body()));
    }
}
