package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;

/**
 * The {@code retryWhile} of the broker call: only a 503 is tried again, at most {@code maxRetries}
 * times (the route's redelivery policy spaces the tries). A redelivery re-enters the broker-call
 * route, which signs again with a fresh nonce, while the request — and its attempt_id — stays the same.
 */
public final class BrokerRetryPolicy implements Predicate {
    private static final Logger LOG = EscapingLogger.of(BrokerRetryPolicy.class);

    private final int maxRetries;

    public BrokerRetryPolicy(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!(failure instanceof DispatchFailure dispatchFailure) || !dispatchFailure.retryable()) {
            return false;
        }
        // the counter already counts the redelivery being decided on: 1 before the first retry
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        boolean again = retry <= maxRetries;
        LOG.info("job {}: {}; {}", exchange.getProperty(CoreExchange.JOB_ID),
                failure.getMessage(), again
                        ? "retry " + retry + " of " + maxRetries + " with attempt_id "
                        + exchange.getProperty(CoreExchange.ATTEMPT_ID)
                        : "no retries left");
        return again;
    }
}
