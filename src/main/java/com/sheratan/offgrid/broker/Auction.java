package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.ledger.CostLedger;
import java.util.ArrayList;
import java.util.List;

/**
 * One auction as it goes (an exchange property of the {@code broker-auction} route): the request,
 * the ranked bids, the hosts the job was sent to, every host dropped and why, and the answer taken
 * with its verdict.
 */
public final class Auction {
    /** A host that left this auction, at which stage ({@code quote} or {@code run}) and why. */
    public record Drop(String host, String nodeId, String stage, String reason) {
        @Override
        public String toString() {
            return host + " at " + stage + ": " + reason;
        }
    }

    private final AuctionRequest request;
    private final List<String> asked = new ArrayList<>();
    private final List<String> tried = new ArrayList<>();
    private final List<Drop> drops = new ArrayList<>();
    private List<Bid> bids = List.of();
    private Bid winner;
    private JsonNode answer;
    private RunVerdict verdict;
    private CostLedger.Charge charge;

    public Auction(AuctionRequest request) {
        this.request = request;
    }

    public AuctionRequest request() {
        return request;
    }

    /** Hosts asked for a quote. */
    public List<String> asked() {
        return asked;
    }

    /** Hosts the job was sent to, in order. */
    public List<String> tried() {
        return tried;
    }

    public List<Drop> drops() {
        return drops;
    }

    public List<Bid> bids() {
        return bids;
    }

    void bids(List<Bid> ranked) {
        this.bids = List.copyOf(ranked);
    }

    /** Puts the bid of {@code nodeId} first, the others after it in their order; false when it did not bid. */
    boolean askFirst(String nodeId) {
        List<Bid> first = bids.stream().filter(bid -> bid.nodeId().equals(nodeId)).toList();
        if (first.isEmpty()) {
            return false;
        }
        List<Bid> reordered = new java.util.ArrayList<>(first);
        bids.stream().filter(bid -> !bid.nodeId().equals(nodeId)).forEach(reordered::add);
        this.bids = List.copyOf(reordered);
        return true;
    }

    void drop(String host, String nodeId, String stage, String reason) {
        drops.add(new Drop(host, nodeId, stage, reason));
    }

    void completed(Bid winner, JsonNode answer, RunVerdict verdict) {
        this.winner = winner;
        this.answer = answer;
        this.verdict = verdict;
    }

    public boolean isCompleted() {
        return answer != null;
    }

    public Bid winner() {
        return winner;
    }

    public JsonNode answer() {
        return answer;
    }

    void charged(CostLedger.Charge entry) {
        this.charge = entry;
    }

    /** The ledger entry the run is charged under; null when nothing was charged. */
    public CostLedger.Charge charge() {
        return charge;
    }

    /** How the winner's answer was judged; its {@code ok} is the auction's. */
    public RunVerdict verdict() {
        return verdict;
    }
}
