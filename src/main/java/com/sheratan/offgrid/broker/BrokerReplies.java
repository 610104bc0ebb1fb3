package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;

/**
 * Every answer the broker gives (SPEC section 7), as JSON. Request headers are cleared first so
 * none of them (signature headers included) is echoed back in the HTTP answer.
 */
public final class BrokerReplies {
    private static final Logger LOG = EscapingLogger.of(BrokerReplies.class);
    static final String VERSION = "0.1.0";

    private final MeshHosts hosts;
    private final ReputationBook reputation;
    private final AuctionCounters counters;
    private final ResultStore results;
    private final BrokerMeters meters;

    public BrokerReplies(MeshHosts hosts, ReputationBook reputation, AuctionCounters counters, ResultStore results,
                         BrokerMeters meters) {
        this.meters = meters;
        this.hosts = hosts;
        this.reputation = reputation;
        this.counters = counters;
        this.results = results;
    }

    /** 200: the host's answer, whole, with the auction that chose it. */
    public void completed(Exchange exchange) {
        Auction auction = exchange.getProperty(Auctioneer.AUCTION, Auction.class);
        JsonNode answer = auction.answer();
        Bid winner = auction.winner();
        ObjectNode body = Json.object();
        body.put("status", "completed");
        boolean ok = auction.verdict().ok();
        body.put("ok", ok);
        body.put("host", winner.host());
        body.put("node_id", answer.path("node_id").isTextual() ? answer.get("node_id").asText() : winner.nodeId());
        body.put("quote", winner.quote());
        body.set("output", outputOf(answer));
        body.set("result", answer.has("result") ? answer.get("result") : null);
        body.set("receipt", answer.has("receipt") ? answer.get("receipt") : null);
        if (!ok) {
            // an older host says why only inside its result, and a failed result is a FAILED job
            JsonNode result = answer.path("result");
            body.put("error_code", answer.path("error_code").asText(result.path("error_code").asText("FAILED")));
            body.set("error", answer.hasNonNull("error") ? answer.get("error") : result.get("error"));
        }
        body.put("req_id", auction.request().reqId());
        body.set("ledger", auction.charge() == null ? null : auction.charge().toJson());
        ObjectNode summary = body.putObject("auction");
        summary.set("bids", Json.mapper().valueToTree(auction.bids()));
        summary.put("winner", winner.host());
        summary.set("tried", Json.mapper().valueToTree(auction.tried()));
        summary.set("dropped", Json.mapper().valueToTree(auction.drops()));
        (ok ? counters.completedOk : counters.completedNotOk).incrementAndGet();
        meters.auction(exchange, ok ? "completed" : "completed_not_ok");
        byte[] bytes = JsonAnswer.bytes(body);
        results.put(auction.request().jobId(), bytes);
        reply(exchange, 200, bytes, auction.request().reqId());
    }

    /** 503: no host took the job; {@code tried} names every host asked (or sent the job). */
    public void noHosts(Exchange exchange) {
        Auction auction = exchange.getProperty(Auctioneer.AUCTION, Auction.class);
        ObjectNode body = Json.object();
        body.put("error", "no_hosts_available");
        body.put("req_id", auction.request().reqId());
        body.set("tried", Json.mapper().valueToTree(auction.asked()));
        body.set("dropped", Json.mapper().valueToTree(auction.drops()));
        if (auction.asked().isEmpty()) {
            body.put("detail", "no active host: " + hosts.discovery().hosts().size()
                    + " known, all inactive or down by the health monitor");
        }
        counters.noHosts.incrementAndGet();
        meters.auction(exchange, "no_hosts");
        LOG.warn("auction job={} req={}: no host took the job (asked {}, dropped {})", auction.request().jobId(),
                auction.request().reqId(), auction.asked(), auction.drops());
        reply(exchange, 503, JsonAnswer.bytes(body), auction.request().reqId());
    }

    /** 400: the body is not an Offgrid request. */
    public void invalidJob(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String detail = cause == null ? "invalid request" : cause.getMessage();
        if ("true".equals(exchange.getMessage().getHeader("X-Offgrid-Probe", String.class))) {
            // a core checking that the broker accepts its signature (its GET /api/status): not a bad job
            LOG.debug("answered a signed probe from a core with 400 invalid_job");
        } else {
            counters.invalid.incrementAndGet();
            LOG.warn("refused auction request: invalid_job ({})", detail);
        }
        ObjectNode body = Json.object();
        body.put("error", "invalid_job");
        body.put("detail", detail);
        reply(exchange, 400, JsonAnswer.bytes(body), null);
    }

    /** 503 at once: too many auctions already running. */
    public void busy(Exchange exchange) {
        LOG.warn("refused auction request: broker_busy (max-concurrent-auctions reached)");
        ObjectNode body = Json.object();
        body.put("error", "broker_busy");
        body.put("detail", "too many auctions at once; retry shortly");
        reply(exchange, 503, JsonAnswer.bytes(body), null);
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    /** 500: a fault of the broker itself; the message is logged with its stack. */
    public void brokerError(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("auction failed inside the broker", cause);
        ObjectNode body = Json.object();
        body.put("error", "broker_error");
        body.put("detail", cause == null ? "unknown" : String.valueOf(cause.getMessage()));
        reply(exchange, 500, JsonAnswer.bytes(body), null);
    }

    public void status(Exchange exchange) {
        ObjectNode body = Json.object();
        body.put("status", "ok");
        body.put("service", "offgrid-broker");
        body.put("version", VERSION);
        Discovery discovery = hosts.discovery();
        ObjectNode hostCounts = body.putObject("hosts");
        hostCounts.put("known", discovery.hosts().size());
        hostCounts.put("active", discovery.hosts().stream().filter(hosts::isActive).count());
        hostCounts.put("source", discovery.source());
        body.set("auctions", counters.toJson());
        reply(exchange, 200, JsonAnswer.bytes(body), null);
    }

    public void hosts(Exchange exchange) {
        Discovery discovery = hosts.discovery();
        ObjectNode body = Json.object();
        body.put("source", discovery.source());
        body.put("fallback_reason", discovery.why());
        ArrayNode list = body.putArray("hosts");
        for (HostEntry host : discovery.hosts()) {
            MeshHosts.Health health = hosts.health(host.url());
            ReputationBook.Reputation record = reputation.of(host.url());
            ObjectNode item = list.addObject();
            item.put("host", host.url());
            item.put("node_id", host.nodeId());
            item.put("via", host.via());
            item.put("active", hosts.isActive(host));
            item.put("health", health.state().name().toLowerCase(java.util.Locale.ROOT));
            item.put("last_seen", hosts.lastSeen(host));
            item.put("last_problem", health.lastProblem());
            item.put("recent_failures", record.recentFailures());
            ObjectNode rep = item.putObject("reputation");
            rep.put("successes", record.successes());
            rep.put("failures", record.failures());
            rep.put("last_failure_at", record.lastFailureAt());
            rep.put("last_failure", record.lastFailure());
        }
        reply(exchange, 200, JsonAnswer.bytes(body), null);
    }

    public void result(Exchange exchange) {
        String jobId = exchange.getMessage().getHeader("job_id", String.class);
        byte[] stored = jobId == null ? null : results.get(jobId);
        if (stored == null) {
            ObjectNode body = Json.object();
            body.put("error", "unknown_job");
            body.put("job_id", jobId);
            reply(exchange, 404, JsonAnswer.bytes(body), null);
        } else {
            reply(exchange, 200, stored, null);
        }
    }

    /** The host's {@code output}; an older host has none, so its result's output or text stands in. */
    private static JsonNode outputOf(JsonNode answer) {
        if (answer.has("output")) {
            return answer.get("output");
        }
        JsonNode result = answer.path("result");
        for (String name : new String[] {"output", "text"}) {
            if (result.hasNonNull(name)) {
                return result.get(name);
            }
        }
        return null;
    }

    private static void reply(Exchange exchange, int status, byte[] body, String reqId) {
        Message message = JsonAnswer.put(exchange.getMessage(), status, body);
        if (reqId != null) {
            message.setHeader("X-Request-Id", reqId);
        }
    }
}
