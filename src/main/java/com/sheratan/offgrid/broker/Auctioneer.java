package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.LogContext;
import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

/**
 * The steps of the {@code broker-auction} route (SPEC section 7): open the auction, ask every
 * candidate for a quote in parallel, rank the bids, send the job to the winner and fail over to the
 * next ones, up to {@code redundancy}. Every decision is logged.
 */
public final class Auctioneer {
    public static final String AUCTION = "auction";
    public static final String BID_COUNT = "bidCount";
    public static final String COMPLETED = "auctionCompleted";
    private static final Logger LOG = EscapingLogger.of(Auctioneer.class);

    private final AuctionRequestReader reader;
    private final MeshHosts hosts;
    private final HostClient client;
    private final BidCollector bidCollector;
    private final ReputationBook reputation;
    private final AuctionCounters counters;
    private final int redundancy;
    private final BrokerMeters meters;
    private final ReceiptCheck receipts;
    private final Duration runTimeout;

    /**
     * {@code receipts}: checks a receipt before the run is taken; null when the broker keeps no ledger.
     * {@code runTimeout}: also how long a host that is running the attempt already is asked again.
     */
    public Auctioneer(AuctionRequestReader reader, MeshHosts hosts, HostClient client, BidCollector bidCollector,
                      ReputationBook reputation, AuctionCounters counters, int redundancy, BrokerMeters meters,
                      ReceiptCheck receipts, Duration runTimeout) {
        this.runTimeout = runTimeout;
        this.meters = meters;
        this.reader = reader;
        this.hosts = hosts;
        this.client = client;
        this.bidCollector = bidCollector;
        this.reputation = reputation;
        this.counters = counters;
        this.redundancy = redundancy;
        this.receipts = receipts;
    }

    /** Reads the (already verified) body; an invalid one throws {@link InvalidAuctionRequest}. */
    public void open(Exchange exchange) {
        AuctionRequest request = reader.read(exchange.getMessage().getBody(byte[].class),
                exchange.getMessage().getHeader("X-Request-Id", String.class));
        LogContext.job(request.jobId(), request.reqId());
        exchange.setProperty(BrokerMeters.STARTED_NANOS, System.nanoTime());
        exchange.setProperty(AUCTION, new Auction(request));
        exchange.setProperty(BID_COUNT, 0);
        exchange.setProperty(COMPLETED, false);
    }

    /** Asks every candidate for a quote at once; waits at most one quote timeout. */
    public void collectBids(Exchange exchange) {
        Auction auction = exchange.getProperty(AUCTION, Auction.class);
        AuctionRequest request = auction.request();
        List<HostEntry> candidates = hosts.candidates();
        candidates.forEach(host -> auction.asked().add(host.url()));
        List<Bid> bids = bidCollector.collect(candidates, request.type(), request.size(), request.kind(),
                request.latencyMs(), auction::drop);
        auction.bids(bids);
        exchange.setProperty(BID_COUNT, bids.size());
        if (candidates.isEmpty()) {
            LOG.warn("auction job={} req={}: no host to ask ({} known, none active)", request.jobId(),
                    request.reqId(), hosts.discovery().hosts().size());
        }
    }

    /** Sends the job to the best bid, then to the next ones while hosts fail, up to {@code redundancy}. */
    public void runOnWinner(Exchange exchange) throws JsonProcessingException {
        Auction auction = exchange.getProperty(AUCTION, Auction.class);
        AuctionRequest request = auction.request();
        ObjectNode runBody = Json.mapper().createObjectNode();
        runBody.put("job_id", request.jobId());
        runBody.set("job", request.job());
        byte[] body = Json.mapper().writeValueAsBytes(runBody);

        List<Bid> bids = auction.bids();
        int attempts = Math.min(redundancy, bids.size());
        for (int i = 0; i < attempts; i++) {
            Bid bid = bids.get(i);
            auction.tried().add(bid.host());
            HostClient.Answer answer = run(bid, body, request);
            RunVerdict verdict = checkReceipt(RunVerdict.of(answer), request, bid, answer);
            switch (verdict.kind()) {
                case DONE -> {
                    hosts.seen(bid.host(), true);
                    reputation.success(bid.host());
                    meters.win(bid.nodeId());
                    take(exchange, auction, bid, answer.json(), verdict, "ran it");
                    return;
                }
                case PASSED_THROUGH -> {
                    hosts.seen(bid.host(), true);
                    if (verdict.countsAgainstHost()) {
                        meters.failure(bid.nodeId());
                        reputation.failure(bid.host(), "run: " + verdict.reason());
                    }
                    meters.win(bid.nodeId());
                    take(exchange, auction, bid, answer.json(), verdict, "answered ok:false " + verdict.reason());
                    return;
                }
                case FAILS_OVER -> {
                    if (verdict.countsAgainstHost()) {
                        meters.failure(bid.nodeId());
                        reputation.failure(bid.host(), "run: " + verdict.reason());
                    } else {
                        hosts.seen(bid.host(), false); // switched off: skipped as the health monitor skips it
                    }
                    auction.drop(bid.host(), bid.nodeId(), "run", verdict.reason());
                    if (i + 1 < attempts) {
                        counters.failovers.incrementAndGet();
                        Bid next = bids.get(i + 1);
                        LOG.warn("auction job={} req={}: {} ({}) failed: {}; failing over to {} ({})", request.jobId(),
                                request.reqId(), bid.nodeId(), bid.host(), verdict.reason(), next.nodeId(), next.host());
                    } else {
                        LOG.warn("auction job={} req={}: {} ({}) failed: {}; no candidate left (tried {} of {} bids,"
                                        + " redundancy {})", request.jobId(), request.reqId(), bid.nodeId(), bid.host(),
                                verdict.reason(), attempts, bids.size(), redundancy);
                    }
                }
            }
        }
    }

    /**
     * Asks the host to run the job. While it answers {@code IN_PROGRESS} (it is running this very
     * attempt already: a core that died or lost its connection sent it before), it is asked again,
     * after 50 ms doubling to 1 s, for at most one run timeout: the attempt's result comes from the host
     * that runs it, never from a second host running it again (SPEC 8, 15).
     */
    private HostClient.Answer run(Bid bid, byte[] body, AuctionRequest request) {
        long deadline = System.nanoTime() + runTimeout.toNanos();
        long pauseMs = 50;
        HostClient.Answer answer = client.run(bid.host(), audienceOf(bid), body, request.reqId()).join();
        while (RunVerdict.inProgress(answer) && System.nanoTime() + pauseMs * 1_000_000 < deadline) {
            LOG.info("auction job={} req={}: {} is running attempt {} already; asking it again in {} ms for its result",
                    request.jobId(), request.reqId(), bid.nodeId(), request.attemptId(), pauseMs);
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            pauseMs = Math.min(1000, pauseMs * 2);
            answer = client.run(bid.host(), audienceOf(bid), body, request.reqId()).join();
        }
        return answer;
    }

    /**
     * The node id the run is signed for: the one discovery names for the host's URL, else the one its quote
     * gave. A host that is not that node refuses the run (401 wrong_audience), which fails over.
     */
    private String audienceOf(Bid bid) {
        return hosts.discovery().hosts().stream()
                .filter(host -> host.url().equals(bid.host()) && host.nodeId() != null)
                .map(HostEntry::nodeId).findFirst().orElse(bid.nodeId());
    }

    /**
     * A run that came back ok with a receipt is taken only when the receipt may be charged: a forged
     * or mismatched one makes the run the host's failure. A run without a receipt is taken uncharged.
     */
    private RunVerdict checkReceipt(RunVerdict verdict, AuctionRequest request, Bid bid, HostClient.Answer answer) {
        if (receipts == null || verdict.kind() != RunVerdict.Kind.DONE) {
            return verdict;
        }
        JsonNode receipt = answer.json().get("receipt");
        if (receipt == null || receipt.isNull()) {
            return verdict;
        }
        String problem = receipts.problem(request, bid, receipt);
        return problem == null ? verdict : RunVerdict.invalidReceipt(problem);
    }

    private static void take(Exchange exchange, Auction auction, Bid bid, JsonNode answer, RunVerdict verdict,
                             String what) {
        auction.completed(bid, answer, verdict);
        exchange.setProperty(COMPLETED, true);
        AuctionRequest request = auction.request();
        // one line per auction: every bid, every host dropped and why, and the winner
        LOG.info("auction job={} req={} kind={}: bids {}{}; winner {} ({}) {}", request.jobId(), request.reqId(),
                request.kind(), describe(auction.bids()), auction.drops().isEmpty() ? "" : "; dropped " + auction.drops(),
                bid.nodeId(), bid.host(), what);
    }

    private static String describe(List<Bid> bids) {
        if (bids.isEmpty()) {
            return "none";
        }
        return bids.stream().map(b -> b.nodeId() + "@" + b.host() + " quote " + b.quote() + " score " + format(b.score()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String format(double score) {
        return String.format(Locale.ROOT, "%.4f", score);
    }
}
