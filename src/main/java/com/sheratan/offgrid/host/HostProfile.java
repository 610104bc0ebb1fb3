package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.JobMeasure;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Header;
import org.slf4j.Logger;

/**
 * Who this host is and what it offers: node id, base URL, kinds, prices, verify key, and whether it
 * is active. Answers {@code /status}, {@code /announce}, {@code /quote} and {@code POST /active}.
 */
public final class HostProfile {
    private static final Logger LOG = EscapingLogger.of(HostProfile.class);
    /** The kind of a storage quote ({@code type=storage&kind=shard}): every host stores shards. */
    public static final String STORAGE_KIND = "shard";

    private final String nodeId;
    private final String baseUrl;
    private final List<String> kinds;
    private final PriceList prices;
    private final String verifyKey;
    private final AttemptLedger ledger;
    private final AtomicBoolean active;
    private final ShardStore shards;

    public HostProfile(String nodeId, String baseUrl, List<String> kinds, PriceList prices, String verifyKey,
                       AttemptLedger ledger, boolean active, ShardStore shards) {
        this.nodeId = nodeId;
        this.baseUrl = baseUrl;
        this.kinds = List.copyOf(kinds);
        this.prices = prices;
        this.verifyKey = verifyKey;
        this.ledger = ledger;
        this.active = new AtomicBoolean(active);
        this.shards = shards;
    }

    public String nodeId() {
        return nodeId;
    }

    public boolean isActive() {
        return active.get();
    }

    public boolean supports(String kind) {
        return kinds.contains(kind);
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", "ok");
        status.put("node_id", nodeId);
        status.put("active", active.get());
        status.put("kinds", kinds);
        status.put("jobs", Map.of("running", ledger.running(), "done", ledger.done()));
        status.put("storage", storage());
        return status;
    }

    public Map<String, Object> announce() {
        Map<String, Object> announce = new LinkedHashMap<>();
        announce.put("node_id", nodeId);
        announce.put("host", baseUrl);
        announce.put("active", active.get());
        announce.put("kinds", kinds);
        announce.put("prices", prices.asMap());
        announce.put("verify_key", verifyKey);
        announce.put("storage", storage());
        return announce;
    }

    /** {@code GET /quote?type=&size=&kind=}: 200 with the quote, 422 for a kind it cannot run, 503 when inactive. */
    public JsonAnswer quote(@Header("type") String type, @Header("size") String size, @Header("kind") String kind) {
        if (!active.get()) {
            return new JsonAnswer(503, Map.of("error", "host_inactive", "node_id", nodeId));
        }
        boolean shard = STORAGE_KIND.equals(kind) && "storage".equals(type == null ? "" : type.strip());
        if (kind != null && !kind.isBlank() && !supports(kind) && !shard) {
            return new JsonAnswer(422, Map.of("error", "UNSUPPORTED_KIND", "node_id", nodeId,
                    "detail", "this host runs " + kinds + ", not '" + kind + "'"));
        }
        String jobType = type == null || type.isBlank() ? JobMeasure.type(kind) : type.strip();
        Double price = prices.priceFor(jobType);
        if (price == null) {
            return badQuote("type must be compute, storage or transfer, was '" + jobType + "'");
        }
        double units;
        try {
            units = Double.parseDouble(size == null ? "" : size.strip());
        } catch (NumberFormatException e) {
            return badQuote("size must be a number (million tokens), was '" + size + "'");
        }
        if (!(units >= 0) || Double.isInfinite(units)) {
            return badQuote("size must be a number of at least 0, was '" + size + "'");
        }
        if (shard && units * 1e9 > shards.freeBytes()) {
            Map<String, Object> full = new LinkedHashMap<>();
            full.put("error", "insufficient_storage");
            full.put("free_bytes", shards.freeBytes());
            full.put("node_id", nodeId);
            return new JsonAnswer(507, full);
        }
        Map<String, Object> quote = new LinkedHashMap<>();
        quote.put("quote", PriceList.quote(price, units));
        quote.put("host", baseUrl);
        quote.put("node_id", nodeId);
        quote.put("type", jobType);
        quote.put("size", units);
        quote.put("kind", kind);
        return JsonAnswer.ok(quote);
    }

    /** {@code POST /active} (signed) {@code {"active": true|false}}: switches the host on or off until restart. */
    public JsonAnswer switchActive(byte[] body) {
        JsonNode flag;
        try {
            flag = Json.mapper().readTree(body).get("active");
        } catch (IOException | RuntimeException e) {
            flag = null;
        }
        if (flag == null || !flag.isBoolean()) {
            return new JsonAnswer(400, Map.of("error", "invalid_request", "detail", "body must be {\"active\": true|false}"));
        }
        boolean was = active.getAndSet(flag.booleanValue());
        if (was != flag.booleanValue()) {
            LOG.info("host {} is now {}", nodeId, flag.booleanValue() ? "active" : "inactive (quotes answer 503)");
        }
        return JsonAnswer.ok(Map.of("node_id", nodeId, "active", flag.booleanValue()));
    }

    /** {@code storage: {shards, bytes, capacity_bytes}} of {@code /status} and {@code /announce} (SPEC 13). */
    private Map<String, Object> storage() {
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("shards", shards.count());
        storage.put("bytes", shards.usedBytes());
        storage.put("capacity_bytes", shards.capacityBytes());
        return storage;
    }

    private JsonAnswer badQuote(String detail) {
        return new JsonAnswer(400, Map.of("error", "invalid_quote_request", "detail", detail));
    }
}
