package com.sheratan.offgrid.security;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Signs the message body as the exact bytes that will be sent, for a POST to {@code path} on the
 * receiver named {@code audience}, and sets the five {@code X-Offgrid-*} headers.
 */
public final class SignOutgoingRequest implements Processor {
    private final RequestSigner signer;
    private final String path;
    private final String audience;

    public SignOutgoingRequest(RequestSigner signer, String path, String audience) {
        this.signer = signer;
        this.path = path;
        this.audience = audience;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        message.setBody(body);
        signer.sign("POST", path, audience, body).asMap().forEach(message::setHeader);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
