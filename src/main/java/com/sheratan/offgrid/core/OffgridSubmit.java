package com.sheratan.offgrid.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * {@code direct:offgrid-submit}: runs the job through the core's pipeline in an exchange of its own and
 * puts the answer (SPEC 5, as JSON text) and its HTTP status on the caller's message, so the user's
 * route goes on after it whatever the answer was.
 */
public final class OffgridSubmit implements Processor {
    private final ProducerTemplate template;

    public OffgridSubmit(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        Exchange done = template.send("direct:route-intake", job -> job.getMessage().setBody(body));
        if (done.getException() != null) {
            throw done.getException();
        }
        Object answer = done.getMessage().getBody();
        String text = answer instanceof ByteBuffer buffer
                ? StandardCharsets.UTF_8.decode(buffer.duplicate()).toString()
                : done.getMessage().getBody(String.class);
        exchange.getMessage().setBody(text);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, done.getMessage().getHeader(Exchange.CONTENT_TYPE));
    }
}
