package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The first step of every signed endpoint (broker {@code /auction}, host {@code /run} and
 * {@code /active}): verifies the raw body and headers, for this receiver's audience, and on failure answers 401 with {@code WWW-Authenticate: Offgrid-HMAC} and
 * stops the route, so the job is never touched. On success the body is left as the raw bytes.
 */
public final class VerifySignedRequest implements Processor {
    private static final Logger LOG = EscapingLogger.of(VerifySignedRequest.class);

    /** Exchange property: lowercase hex SHA-256 of the verified body, so a later step need not hash it again. */
    public static final String BODY_SHA256 = "offgridBodySha256";

    private final RequestVerifier verifier;

    public VerifySignedRequest(RequestVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        in.setBody(body);
        String method = in.getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        String pathWithQuery = in.getHeader(Exchange.HTTP_URI, String.class);
        if (pathWithQuery == null) {
            pathWithQuery = in.getHeader(Exchange.HTTP_PATH, "/", String.class);
        }
        String bodySha256 = Digests.sha256Hex(body);
        exchange.setProperty(BODY_SHA256, bodySha256);
        Optional<SignatureError> error = verifier.verifyHashed(method, pathWithQuery, name -> in.getHeader(name, String.class),
                bodySha256);
        if (error.isPresent()) {
            String remote = String.valueOf(in.getHeader("CamelVertxPlatformHttpRemoteAddress"));
            LOG.warn("refused signed request {} {} from {}: {}", method, pathWithQuery, remote, error.get().code());
            refuse(exchange, error.get());
        }
    }

    static void refuse(Exchange exchange, SignatureError error) {
        JsonAnswer.put(exchange.getMessage(), 401, ("{\"error\":\"" + error.code() + "\"}").getBytes(StandardCharsets.UTF_8))
                .setHeader("WWW-Authenticate", SignedHeaders.CHALLENGE);
        exchange.setRouteStop(true);
    }
}
