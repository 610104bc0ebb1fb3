package com.sheratan.offgrid.broker;

import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Lets at most {@code max-concurrent-auctions} auctions run at once. An auction holds an HTTP worker
 * thread while it waits on hosts; keeping the count below the worker pool means {@code /status},
 * {@code /hosts} and {@code /results} always find a free thread. Beyond the limit the broker answers
 * {@code 503 broker_busy} at once instead of queueing.
 */
public final class AuctionGate implements Processor {
    private final Semaphore permits;
    private final AuctionCounters counters;
    private final BrokerReplies replies;

    public AuctionGate(int maxConcurrent, AuctionCounters counters, BrokerReplies replies) {
        this.permits = new Semaphore(maxConcurrent);
        this.counters = counters;
        this.replies = replies;
    }

    @Override
    public void process(Exchange exchange) {
        counters.received.incrementAndGet();
        if (!permits.tryAcquire()) {
            counters.busy.incrementAndGet();
            replies.busy(exchange);
            exchange.setRouteStop(true);
            return;
        }
        counters.inFlight.incrementAndGet();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                counters.inFlight.decrementAndGet();
                permits.release();
            }
        });
    }
}
