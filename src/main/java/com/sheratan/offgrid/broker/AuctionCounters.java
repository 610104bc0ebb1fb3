package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.util.concurrent.atomic.AtomicLong;

/** What {@code GET /status} counts under {@code auctions}; lock-free so /status never waits on an auction. */
public final class AuctionCounters {
    final AtomicLong received = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong completedOk = new AtomicLong();
    final AtomicLong completedNotOk = new AtomicLong();
    final AtomicLong noHosts = new AtomicLong();
    final AtomicLong failovers = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong busy = new AtomicLong();

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("received", received.get());
        node.put("in_flight", inFlight.get());
        node.put("completed", completedOk.get() + completedNotOk.get());
        node.put("completed_ok", completedOk.get());
        node.put("completed_not_ok", completedNotOk.get());
        node.put("no_hosts", noHosts.get());
        node.put("failovers", failovers.get());
        node.put("invalid", invalid.get());
        node.put("busy", busy.get());
        return node;
    }
}
