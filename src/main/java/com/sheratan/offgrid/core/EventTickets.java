package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * Tickets for the event stream. A browser's {@code EventSource} cannot send an {@code Authorization}
 * header, so with {@code OFFGRID_API_TOKENS} set the dashboard first asks
 * {@code POST /api/events/ticket} with its bearer token (checked like every {@code /api} call) and
 * opens {@code GET /api/events?ticket=…}. A ticket is random (256 bits), good for one connection and
 * only for {@link #LIFETIME}: one that leaks through a URL log is of no use afterwards, and the
 * token itself never appears in a URL.
 */
public final class EventTickets {
    static final Duration LIFETIME = Duration.ofSeconds(30);
    /** Unused tickets kept at most; beyond, the oldest are dropped (each holds a few bytes). */
    private static final int MAX_OUTSTANDING = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final Clock clock;

    public EventTickets(Clock clock) {
        this.clock = clock;
    }

    /** {@code POST /api/events/ticket}: {@code {ticket, expires_in_s}}; the route checked the bearer token first. */
    public void issue(Exchange exchange) {
        long now = clock.millis();
        if (expiries.size() >= MAX_OUTSTANDING) {
            expiries.values().removeIf(expiry -> expiry <= now);
            if (expiries.size() >= MAX_OUTSTANDING) {
                expiries.clear();
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(ticket, now + LIFETIME.toMillis());
        ObjectNode body = Json.object();
        body.put("ticket", ticket);
        body.put("expires_in_s", LIFETIME.toSeconds());
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }

    /** True once for a ticket this core issued within its lifetime; it is used up by the call. */
    boolean redeem(String ticket) {
        if (ticket == null || ticket.isEmpty()) {
            return false;
        }
        Long expiry = expiries.remove(ticket);
        return expiry != null && expiry > clock.millis();
    }
}
