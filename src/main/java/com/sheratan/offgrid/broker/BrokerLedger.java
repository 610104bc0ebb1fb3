package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.ledger.CostLedger;
import com.sheratan.offgrid.ledger.PostgresLedgerStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;

/**
 * The broker's cost ledger under Camel's lifecycle (SPEC section 12): opened and checked when the
 * broker starts (a changed log stops the start, naming the first bad seq), given a signed checkpoint
 * by the {@code broker-ledger-checkpoint} timer and a last one when the broker stops. The
 * {@code charge-run} step of the auction charges a completed run here.
 */
public final class BrokerLedger extends ServiceSupport {
    private static final Logger LOG = EscapingLogger.of(BrokerLedger.class);

    private final Path stateDir;
    private final LedgerSettings settings;
    private final Clock clock;
    private final BrokerMeters meters;
    private volatile CostLedger ledger;

    public BrokerLedger(Path stateDir, LedgerSettings settings, Clock clock, BrokerMeters meters) {
        this.stateDir = stateDir;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        meters.ledgerSize(() -> {
            CostLedger open = ledger;
            return open == null ? 0 : open.size();
        });
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The open ledger; null while the broker runs without one ({@code offgrid.broker.ledger.enabled=false}). */
    public CostLedger ledger() {
        return ledger;
    }

    @Override
    protected void doStart() {
        if (settings.enabled()) {
            ledger = settings.onPostgres()
                    ? CostLedger.open(PostgresLedgerStorage.open(settings.jdbcUrl(), settings.jdbcUser(),
                            settings.jdbcPassword(), settings.safeUrl()), settings.reserveRate(), clock)
                    : CostLedger.open(stateDir, settings.reserveRate(), clock);
            LOG.info("ledger: {}, reserve rate {}, checkpoint at most every {} ms", settings.onPostgres()
                    ? "on PostgreSQL " + settings.safeUrl() : "in " + stateDir, settings.reserveRate().toPlainString(),
                    settings.checkpointInterval().toMillis());
        } else {
            LOG.info("ledger: off (offgrid.broker.ledger.enabled=false): runs are not charged, receipts not checked");
        }
    }

    @Override
    protected void doStop() throws IOException {
        CostLedger open = ledger;
        if (open != null) {
            open.close();
        }
    }

    /**
     * Charges a run that came back {@code ok:true} with a receipt (already checked by the auction) at
     * the winning quote, once per (job_id, attempt_id); the answer then carries the entry. A run without
     * a receipt is answered uncharged, with a WARN.
     */
    public void charge(Exchange exchange) {
        Auction auction = exchange.getProperty(Auctioneer.AUCTION, Auction.class);
        CostLedger open = ledger;
        if (open == null || auction == null || !auction.isCompleted() || !auction.verdict().ok()) {
            return;
        }
        AuctionRequest request = auction.request();
        Bid winner = auction.winner();
        JsonNode receipt = auction.answer().get("receipt");
        if (receipt == null || !receipt.isObject()) {
            LOG.warn("auction job={} req={}: {} answered ok without a receipt; the run is not charged", request.jobId(),
                    request.reqId(), winner.nodeId());
            return;
        }
        try {
            CostLedger.Charge charge = open.charge(new CostLedger.ChargeRequest(request.jobId(), request.attemptId(),
                    request.missionId(), request.taskId(), request.kind(), winner.nodeId(), winner.quote(), receipt));
            auction.charged(charge);
            if (charge.fresh()) {
                meters.charged(winner.nodeId(), charge.amount().value());
            } else {
                LOG.info("auction job={} req={}: attempt {} was charged before, as seq {}", request.jobId(),
                        request.reqId(), request.attemptId(), charge.seq());
            }
        } catch (IOException e) {
            LOG.error("auction job={} req={}: the run on {} is not charged: the ledger cannot be written ({})",
                    request.jobId(), request.reqId(), winner.nodeId(), e.getMessage());
        }
    }

    /**
     * A repeated attempt (a core sending it again after its connection broke, or taking over a dead
     * core's job) that the ledger charged before is sent first to the host that ran it, which answers
     * with its kept result (SPEC 8) instead of a cheaper host running the job a second time. A host
     * that ran it and did not bid now cannot be asked: the auction goes on as it stands, and the
     * repeated charge answers the entry the attempt has.
     */
    public void preferHostThatRan(Exchange exchange) {
        Auction auction = exchange.getProperty(Auctioneer.AUCTION, Auction.class);
        CostLedger open = ledger;
        if (open == null || auction == null || auction.bids().isEmpty()) {
            return;
        }
        AuctionRequest request = auction.request();
        try {
            for (JsonNode record : open.recordsOfJob(request.jobId())) {
                JsonNode entry = record.path("entry");
                if (request.attemptId().equals(entry.path("attempt_id").asText())) {
                    String nodeId = entry.path("node_id").asText();
                    boolean bid = auction.askFirst(nodeId);
                    LOG.info("auction job={} req={}: attempt {} ran on {} before (ledger seq {}): {}", request.jobId(),
                            request.reqId(), request.attemptId(), nodeId, record.path("seq").asLong(),
                            bid ? "asking it first, for its kept result" : "it did not bid now, so the auction goes on");
                    return;
                }
            }
        } catch (IOException e) {
            LOG.warn("auction job={} req={}: the ledger could not be read for an earlier run of attempt {} ({}); the"
                    + " auction goes on as ranked", request.jobId(), request.reqId(), request.attemptId(), e.getMessage());
        }
    }

    /** Signs a checkpoint when entries were added since the last one (the checkpoint timer). */
    public void checkpoint() throws IOException {
        CostLedger open = ledger;
        if (open != null) {
            open.checkpoint();
        }
    }
}
