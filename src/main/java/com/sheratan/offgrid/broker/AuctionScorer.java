package com.sheratan.offgrid.broker;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SPEC section 7: {@code score = quote × (1 + 0.05 × recent_failures) × via_weight + 0.01 × latency_ms/1000};
 * lowest wins, ties break by node_id. {@code latency_ms} is the request's own latency budget.
 */
public final class AuctionScorer {
    private static final Map<String, Double> VIA_WEIGHTS = Map.of("udp", 1.0, "ble", 1.05, "lora", 1.1, "file", 1.2);

    /** Best first: lowest score, then node_id, then host URL (so the order never depends on arrival). */
    public static final Comparator<Bid> RANKING = Comparator.comparingDouble(Bid::score)
            .thenComparing(Bid::nodeId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Bid::host);

    public double score(double quote, int recentFailures, String via, long latencyMs) {
        return quote * (1 + 0.05 * recentFailures) * viaWeight(via) + 0.01 * latencyMs / 1000.0;
    }

    public static double viaWeight(String via) {
        return via == null ? 1.0 : VIA_WEIGHTS.getOrDefault(via.strip().toLowerCase(Locale.ROOT), 1.0);
    }

    public List<Bid> rank(List<Bid> bids) {
        return bids.stream().sorted(RANKING).toList();
    }
}
