package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.ledger.CostLedger;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The ledger's public GET endpoints (SPEC section 12), routes in {@code broker-ledger.yaml}. A query
 * number that is not a whole number ≥ 0, or a size or seq beyond the entries on disk, is answered
 * {@code 400 {error, detail}} with the reason; nothing is clamped.
 */
public final class LedgerReplies {
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");

    /** A query the endpoint cannot answer: a 400 with {@code error} and {@code detail}. */
    static final class BadQuery extends RuntimeException {
        final String error;

        BadQuery(String error, String detail) {
            super(detail);
            this.error = error;
        }
    }

    private final BrokerLedger ledger;

    public LedgerReplies(BrokerLedger ledger) {
        this.ledger = ledger;
    }

    public void checkpoint(Exchange exchange) {
        answer(exchange, log -> log.latestCheckpoint().toJson());
    }

    public void entries(Exchange exchange) {
        answer(exchange, log -> {
            long size = log.size();
            long start = number(exchange, "start", 0L);
            long limit = number(exchange, "limit", (long) DEFAULT_LIMIT);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadQuery("invalid_number", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            if (start > size) {
                throw new BadQuery("beyond_log", "start " + start + " is beyond the log's " + size + " entries");
            }
            ObjectNode body = Json.object();
            body.put("tree_size", size);
            ArrayNode list = body.putArray("entries");
            log.records(start, (int) limit).forEach(list::add);
            return body;
        });
    }

    public void entry(Exchange exchange) {
        answerWith(exchange, log -> {
            long seq = number("seq", exchange.getMessage().getHeader("seq", String.class));
            ObjectNode record = log.record(seq);
            return record != null ? JsonAnswer.ok(record) : JsonAnswer.error(404, "unknown_entry",
                    "the log has " + log.size() + " entries; seq " + seq + " is not one of them");
        });
    }

    public void proof(Exchange exchange) {
        answer(exchange, log -> {
            long seq = required(exchange, "seq");
            long treeSize = required(exchange, "tree_size");
            List<String> path = proven(() -> log.inclusionProof(seq, treeSize));
            ObjectNode body = Json.object();
            body.put("seq", seq);
            body.put("tree_size", treeSize);
            body.put("leaf_hash", log.leafHash(seq));
            body.set("audit_path", Json.mapper().valueToTree(path));
            return body;
        });
    }

    public void consistency(Exchange exchange) {
        answer(exchange, log -> {
            long first = required(exchange, "first");
            long second = required(exchange, "second");
            List<String> proof = proven(() -> log.consistencyProof(first, second));
            ObjectNode body = Json.object();
            body.put("first", first);
            body.put("second", second);
            body.set("proof", Json.mapper().valueToTree(proof));
            return body;
        });
    }

    public void balances(Exchange exchange) {
        answer(exchange, CostLedger::balances);
    }

    public void job(Exchange exchange) {
        answer(exchange, log -> {
            String jobId = exchange.getMessage().getHeader("job_id", String.class);
            ObjectNode body = Json.object();
            body.put("job_id", jobId);
            ArrayNode list = body.putArray("entries");
            log.recordsOfJob(jobId).forEach(list::add);
            return body;
        });
    }

    @FunctionalInterface
    private interface Reply<T> {
        T of(CostLedger log) throws IOException;
    }

    private void answer(Exchange exchange, Reply<ObjectNode> body) {
        answerWith(exchange, log -> JsonAnswer.ok(body.of(log)));
    }

    private void answerWith(Exchange exchange, Reply<JsonAnswer> reply) {
        CostLedger log = open(exchange);
        if (log == null) {
            return;
        }
        try {
            reply.of(log).writeTo(exchange.getMessage());
        } catch (BadQuery e) {
            JsonAnswer.error(400, e.error, e.getMessage()).writeTo(exchange.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    private CostLedger open(Exchange exchange) {
        CostLedger log = ledger.ledger();
        if (log == null) {
            JsonAnswer.error(404, "ledger_disabled", "this broker keeps no ledger (offgrid.broker.ledger.enabled=false)")
                    .writeTo(exchange.getMessage());
        }
        return log;
    }

    private static List<String> proven(java.util.function.Supplier<List<String>> proof) {
        try {
            return proof.get();
        } catch (IllegalArgumentException e) {
            throw new BadQuery("beyond_log", e.getMessage());
        }
    }

    private static long required(Exchange exchange, String name) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        if (raw == null) {
            throw new BadQuery("invalid_number", name + " is missing (a whole number >= 0)");
        }
        return number(name, raw);
    }

    private static long number(Exchange exchange, String name, long fallback) {
        String raw = exchange.getMessage().getHeader(name, String.class);
        return raw == null ? fallback : number(name, raw);
    }

    private static long number(String name, String raw) {
        if (raw == null || !WHOLE_NUMBER.matcher(raw).matches()) {
            throw new BadQuery("invalid_number", name + " must be a whole number >= 0, was '" + raw + "'");
        }
        return Long.parseLong(raw);
    }
}
