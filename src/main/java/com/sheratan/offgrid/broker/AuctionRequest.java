package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the broker needs of an Offgrid request (SPEC section 3). {@code job} is the JobSpec as it
 * came, forwarded to the winner untouched.
 */
public record AuctionRequest(String jobId, String type, double size, long latencyMs, String kind, JsonNode job,
                             String reqId) {
}
