package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;

/**
 * The {@code retryWhile} of the broker call. A redelivery re-enters the broker-call route, which signs
 * again with a fresh nonce, while the request — and its attempt_id — stays the same. Two failures are
 * tried again:
 * <ul>
 *   <li>a 503 (the broker busy or starting), at most {@code maxRetries} times;</li>
 *   <li>a connection that broke after the job was sent (the broker died or restarted mid-auction): the
 *   job may have run on a host, so queueing it would run it twice. The same attempt is sent again,
 *   whatever fails meanwhile (the broker still down, starting), for at most {@code resendMs}; the
 *   host that ran it answers its first result. Only then does the job go to the fallback.</li>
 * </ul>
 * The route's redelivery policy spaces the tries.
 */
public final class BrokerRetryPolicy implements Predicate {
    private static final Logger LOG = EscapingLogger.of(BrokerRetryPolicy.class);
    /** when the first failure after sending was seen (System.nanoTime), while the attempt is being sent again */
    static final String RESENDING_SINCE = "offgridResendingSince";

    private final int maxRetries;
    private final long resendNanos;

    public BrokerRetryPolicy(int maxRetries, long resendMs) {
        this.maxRetries = maxRetries;
        this.resendNanos = TimeUnit.MILLISECONDS.toNanos(resendMs);
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object jobId = exchange.getProperty(CoreExchange.JOB_ID);
        Object attemptId = exchange.getProperty(CoreExchange.ATTEMPT_ID);
        Long resendingSince = exchange.getProperty(RESENDING_SINCE, Long.class);
        boolean retryable503 = failure instanceof DispatchFailure dispatchFailure && dispatchFailure.retryable();
        if (resendingSince == null && brokeAfterSending(failure) && resendNanos > 0) {
            resendingSince = System.nanoTime();
            exchange.setProperty(RESENDING_SINCE, resendingSince);
        }
        if (resendingSince != null && (retryable503 || brokerUnreachable(failure))) {
            long waited = System.nanoTime() - resendingSince;
            boolean again = waited < resendNanos;
            LOG.warn("job {}: {} after attempt {} was sent to the broker; it may have run: {}", jobId,
                    describe(failure), attemptId, again
                            ? "sending the same attempt again to learn its outcome (" + TimeUnit.NANOSECONDS.toSeconds(waited)
                            + " s of at most " + TimeUnit.NANOSECONDS.toSeconds(resendNanos) + " s, offgrid.core.broker-resend-ms)"
                            : "no answer within offgrid.core.broker-resend-ms, giving up on the broker");
            return again;
        }
        if (!retryable503) {
            return false;
        }
        // the counter already counts the redelivery being decided on: 1 before the first retry
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        boolean again = retry <= maxRetries;
        LOG.info("job {}: {}; {}", jobId, failure.getMessage(), again
                ? "retry " + retry + " of " + maxRetries + " with attempt_id " + attemptId
                : "no retries left");
        return again;
    }

    /** An I/O failure past connecting: the request may have reached the broker (reset, closed, no answer, timeout). */
    static boolean brokeAfterSending(Throwable failure) {
        return brokerUnreachable(failure) && !notConnected(failure);
    }

    private static boolean brokerUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Refused, timed out connecting, no route, no such host, a TLS handshake that failed: nothing was sent. */
    private static boolean notConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        return failure == null ? "a failure" : failure.getClass().getSimpleName() + " (" + failure.getMessage() + ")";
    }
}
