package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.slf4j.Logger;

/**
 * {@code POST /placement} (SPEC 13): where an object's n shards go. The active hosts not excluded
 * are asked for a storage quote ({@code type=storage&kind=shard&size=<GB>}) in one round of the
 * auction's {@link BidCollector}, scored as bids are, and the n best distinct nodes are the answer,
 * cheapest first; fewer than n → 503 {@code not_enough_hosts} with need and have.
 */
public final class StoragePlacement {
    private static final Logger LOG = EscapingLogger.of(StoragePlacement.class);
    static final String SHARD_KIND = "shard";

    private final MeshHosts hosts;
    private final BidCollector bids;

    public StoragePlacement(MeshHosts hosts, BidCollector bids) {
        this.hosts = hosts;
        this.bids = bids;
    }

    public JsonAnswer place(@Body byte[] body) {
        JsonNode request;
        try {
            request = Json.mapper().readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            return invalid("the body is not JSON");
        }
        if (request == null || !request.isObject()) {
            return invalid("the body must be {object_id, shards, shard_bytes, exclude}");
        }
        JsonNode count = request.get("shards");
        JsonNode bytes = request.get("shard_bytes");
        if (count == null || !count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1 || count.asInt() > 256) {
            return invalid("shards must be a whole number from 1 to 256");
        }
        if (bytes == null || !bytes.isIntegralNumber() || bytes.asLong() < 0) {
            return invalid("shard_bytes must be a whole number of at least 0");
        }
        Set<String> exclude = new HashSet<>();
        JsonNode excluded = request.path("exclude");
        if (!excluded.isMissingNode() && !excluded.isNull()) {
            if (!excluded.isArray()) {
                return invalid("exclude must be a list of node ids");
            }
            excluded.forEach(node -> exclude.add(node.asText()));
        }
        int need = count.asInt();
        String objectId = request.path("object_id").asText("");

        List<HostEntry> candidates = hosts.candidates().stream()
                .filter(host -> !exclude.contains(host.name()) && !exclude.contains(host.url())).toList();
        List<String> dropped = new ArrayList<>();
        List<Bid> ranked = bids.collect(candidates, "storage", bytes.asLong() / 1e9, SHARD_KIND, 0,
                (host, nodeId, stage, reason) -> dropped.add(host + ": " + reason));
        List<Bid> chosen = new ArrayList<>();
        Set<String> nodes = new HashSet<>(exclude);
        for (Bid bid : ranked) {
            if (chosen.size() < need && nodes.add(bid.nodeId())) {
                chosen.add(bid);
            }
        }
        if (chosen.size() < need) {
            LOG.warn("placement of object {}: {} shards of {} bytes need {} distinct hosts, {} can take one"
                            + " (excluded {}{})", objectId, need, bytes.asLong(), need, chosen.size(), exclude,
                    dropped.isEmpty() ? "" : "; dropped " + dropped);
            Map<String, Object> refusal = new LinkedHashMap<>();
            refusal.put("error", "not_enough_hosts");
            refusal.put("need", need);
            refusal.put("have", chosen.size());
            return new JsonAnswer(503, refusal);
        }
        LOG.info("placement of object {}: {} shards of {} bytes on {}", objectId, need, bytes.asLong(),
                chosen.stream().map(Bid::nodeId).toList());
        return JsonAnswer.ok(Map.of("hosts", chosen));
    }

    private static JsonAnswer invalid(String detail) {
        return JsonAnswer.error(400, "invalid_placement", detail);
    }
}
