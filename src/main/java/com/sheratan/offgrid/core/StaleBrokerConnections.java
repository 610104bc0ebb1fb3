package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.util.TimeValue;
import org.slf4j.Logger;

/**
 * A broker call failed on a kept-alive connection before any answer came back (the broker restarted
 * and the pooled connection was already closed on its side). Every idle connection to the broker is
 * as old as that one, so all of them are closed: the call that follows (signed anew, same attempt_id)
 * opens a fresh connection to the broker that is up now, rather than the job being queued as
 * {@code broker_unreachable}. The broker may also have died with the job in hand: the attempt counts as
 * sent, so if the call that follows fails too, {@link BrokerRetryPolicy} sends it again for a while
 * before the job goes to the fallback.
 */
public final class StaleBrokerConnections implements Processor {
    private static final Logger LOG = EscapingLogger.of(StaleBrokerConnections.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String uri = exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        Endpoint endpoint = uri == null ? null : exchange.getContext().hasEndpoint(uri);
        if (endpoint instanceof HttpEndpoint http && http.getClientConnectionManager() instanceof ConnPoolControl<?> pool) {
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
        }
        LOG.info("job {}: the broker connection was closed before an answer ({}); sending again on a fresh"
                        + " connection with attempt_id {}", exchange.getProperty(CoreExchange.JOB_ID),
                failure == null ? "unknown" : failure.getClass().getSimpleName(),
                exchange.getProperty(CoreExchange.ATTEMPT_ID));
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        if (exchange.getProperty(BrokerRetryPolicy.RESENDING_SINCE) == null) {
            exchange.setProperty(BrokerRetryPolicy.RESENDING_SINCE, System.nanoTime());
        }
    }
}
