package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.observe.RoleMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;

/**
 * The broker's domain meters (SPEC 14): the auction latency histogram by outcome, and per host
 * (its node_id) the bids, wins, failures and quote latency; the cost ledger's entries and amounts per host
 * and its size. Each is a counter or timer update.
 */
public final class BrokerMeters {
    static final String STARTED_NANOS = "auctionStartedNanos";
    private final MeterRegistry registry;

    public BrokerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void auction(Exchange exchange, String outcome) {
        Long started = exchange.getProperty(STARTED_NANOS, Long.class);
        if (started != null) {
            RoleMeters.latency("offgrid.auction", "from a verified POST /auction to its answer")
                    .tag("outcome", outcome).register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    void quote(String nodeId, long nanos, boolean bid) {
        RoleMeters.latency("offgrid.host.quote", "how long a host took to answer GET /quote")
                .tag("node_id", nodeId).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (bid) {
            count("offgrid.host.bids", "usable bids a host gave", nodeId);
        }
    }

    void win(String nodeId) {
        count("offgrid.host.wins", "auctions a host won and answered", nodeId);
    }

    void failure(String nodeId) {
        count("offgrid.host.failures", "quotes and runs that counted against a host", nodeId);
    }

    /** A fresh ledger entry: one more charge of the host, and its amount (a meter; the exact sums are /ledger/balances). */
    void charged(String nodeId, java.math.BigDecimal amount) {
        count("offgrid.ledger.entries", "charge entries the cost ledger made, by the host charged for", nodeId);
        Counter.builder("offgrid.ledger.amount").description("amounts charged into the cost ledger (approximate:"
                + " the exact balances are GET /ledger/balances)").tag("node_id", nodeId).register(registry)
                .increment(amount.doubleValue());
    }

    /** The size of the ledger on disk, read when scraped (0 while there is none). */
    void ledgerSize(java.util.function.LongSupplier size) {
        io.micrometer.core.instrument.Gauge.builder("offgrid.ledger.tree.size", size::getAsLong)
                .description("entries in the cost ledger's log on disk").register(registry);
    }

    private void count(String name, String description, String nodeId) {
        Counter.builder(name).description(description).tag("node_id", nodeId).register(registry).increment();
    }
}
