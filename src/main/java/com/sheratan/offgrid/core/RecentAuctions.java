package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/** The last {@link #KEPT} auctions the broker reported back (bids, scores, winner, tried), newest first. */
public final class RecentAuctions {
    static final int KEPT = 50;
    private final Deque<ObjectNode> auctions = new ArrayDeque<>();
    private final Clock clock;

    public RecentAuctions(Clock clock) {
        this.clock = clock;
    }

    void add(String jobId, JsonNode answer) {
        JsonNode auction = answer.path("auction");
        ObjectNode entry = Json.object();
        entry.put("job_id", jobId);
        entry.put("at", clock.instant().toString());
        entry.set("bids", auction.path("bids"));
        entry.set("winner", auction.get("winner"));
        entry.set("node_id", answer.get("node_id"));
        entry.set("tried", auction.path("tried"));
        entry.put("ok", answer.path("ok").asBoolean(false));
        synchronized (auctions) {
            auctions.addFirst(entry);
            if (auctions.size() > KEPT) {
                auctions.removeLast();
            }
        }
    }

    public ObjectNode toJson() {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("auctions");
        synchronized (auctions) {
            auctions.forEach(list::add);
        }
        return body;
    }
}
