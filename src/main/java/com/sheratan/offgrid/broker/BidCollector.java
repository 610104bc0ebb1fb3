package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One round of quotes (SPEC section 7), shared by the auction and storage placement: asks every
 * candidate for a quote at once (waiting at most one quote timeout), scores the answers and ranks
 * them, best first. A host that fails, hangs or answers without a usable price is dropped with the
 * reason and counts as a failure; one that cannot run the kind or is switched off is dropped
 * without blame.
 */
public final class BidCollector {
    /** Where a host dropped from the round is reported: its URL, node id, stage ({@code quote}) and why. */
    public interface Drops {
        void drop(String host, String nodeId, String stage, String reason);
    }

    private final MeshHosts hosts;
    private final HostClient client;
    private final AuctionScorer scorer;
    private final ReputationBook reputation;
    private final BrokerMeters meters;

    public BidCollector(MeshHosts hosts, HostClient client, AuctionScorer scorer, ReputationBook reputation,
                        BrokerMeters meters) {
        this.hosts = hosts;
        this.client = client;
        this.scorer = scorer;
        this.reputation = reputation;
        this.meters = meters;
    }

    /** The candidates' bids for {@code type}/{@code size}/{@code kind}, ranked best first. */
    public List<Bid> collect(List<HostEntry> candidates, String type, double size, String kind, long latencyMs,
                             Drops drops) {
        List<CompletableFuture<HostClient.Answer>> quotes = new ArrayList<>(candidates.size());
        long asked = System.nanoTime();
        long[] answered = new long[candidates.size()];
        for (HostEntry host : candidates) {
            int slot = quotes.size();
            quotes.add(client.quote(host.url(), type, size, kind)
                    .whenComplete((answer, error) -> answered[slot] = System.nanoTime()));
        }
        CompletableFuture.allOf(quotes.toArray(CompletableFuture[]::new)).join();

        List<Bid> bids = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            HostEntry host = candidates.get(i);
            Bid bid = bidOf(host, quotes.get(i).join(), kind, latencyMs, drops);
            meters.quote(host.name(), answered[i] - asked, bid != null);
            if (bid != null) {
                bids.add(bid);
            }
        }
        return scorer.rank(bids);
    }

    private Bid bidOf(HostEntry host, HostClient.Answer answer, String kind, long latencyMs, Drops drops) {
        if (!answer.answered()) {
            return dropped(host, drops, answer.problem(), true);
        }
        JsonNode json = answer.json();
        if (answer.status() == 422) {
            hosts.seen(host.url(), true);
            return dropped(host, drops, "UNSUPPORTED_KIND " + kind, false);
        }
        if (answer.hostInactive()) {
            // switched off since the last health probe: skipped as the health monitor skips it, not its failure
            hosts.seen(host.url(), false);
            return dropped(host, drops, HostClient.Answer.INACTIVE, false);
        }
        if (answer.status() == 507) {
            // a full host is up and honest: it simply has no room for this shard
            hosts.seen(host.url(), true);
            return dropped(host, drops, "insufficient_storage", false);
        }
        double quote = answer.status() == 200 && json != null ? priceOf(json.get("quote")) : -1;
        if (quote < 0) {
            return dropped(host, drops, "quote answered HTTP " + answer.status() + " without a usable quote", true);
        }
        hosts.seen(host.url(), true);
        String nodeId = json.path("node_id").isTextual() && !json.get("node_id").asText().isBlank()
                ? json.get("node_id").asText() : host.name();
        double score = scorer.score(quote, reputation.recentFailures(host.url()), host.via(), latencyMs);
        return new Bid(host.url(), nodeId, quote, score);
    }

    /** The quoted price, a number or (older hosts) a numeric string; -1 when there is no usable price. */
    private static double priceOf(JsonNode quote) {
        double price = -1;
        if (quote != null && quote.isNumber()) {
            price = quote.asDouble();
        } else if (quote != null && quote.isTextual()) {
            try {
                price = Double.parseDouble(quote.asText().strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return Double.isFinite(price) && price >= 0 ? price : -1;
    }

    private Bid dropped(HostEntry host, Drops drops, String reason, boolean hostFailed) {
        drops.drop(host.url(), host.nodeId(), "quote", reason);
        if (hostFailed) {
            meters.failure(host.name());
            reputation.failure(host.url(), "quote: " + reason);
        }
        return null;
    }
}
