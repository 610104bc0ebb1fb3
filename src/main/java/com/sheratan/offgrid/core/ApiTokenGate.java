package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The first step of every {@code /api} route ({@code core-api-tokens} in core-fallbacks.yaml): a call
 * without a known bearer token answers {@code 401 {error:"missing_token"|"bad_token"}} with
 * {@code WWW-Authenticate: Bearer} and goes no further. The token never travels on: the
 * {@code Authorization} header is removed.
 */
public final class ApiTokenGate implements Processor {
    private static final Logger LOG = EscapingLogger.of(ApiTokenGate.class);
    public static final String CHALLENGE = "Bearer";

    private final ApiTokens tokens;

    public ApiTokenGate(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Optional<String> error = tokens.check(in.getHeader("Authorization", String.class));
        in.removeHeader("Authorization");
        if (error.isPresent()) {
            LOG.warn("refused an /api call from {}: {}", in.getHeader("CamelVertxPlatformHttpRemoteAddress"),
                    error.get());
            JsonAnswer.error(401, error.get(), error.get().equals(ApiTokens.MISSING)
                    ? "this core's API needs `Authorization: Bearer <token>` with a token of OFFGRID_API_TOKENS"
                    : "the bearer token is not one of OFFGRID_API_TOKENS")
                    .writeTo(in).setHeader("WWW-Authenticate", CHALLENGE);
            exchange.setRouteStop(true);
        }
    }
}
