package com.sheratan.offgrid.security;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Signs the message body as the exact bytes that will be sent, for a POST to {@code path} on the
 * receiver, and sets the four {@code X-Offgrid-*} headers.
 */
public final class SignOutgoingRequest implements Processor {
    private final RequestSigner signer;
    private final String path;

    public SignOutgoingRequest(RequestSigner signer, String path) {
        this.signer = signer;
        this.path = path;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        message.setBody(body);
        signer.sign("POST", path, body).asMap().forEach(message::setHeader);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
