package com.sheratan.offgrid.broker;

/** One host's answer to the auction, as the reply lists it: {@code {host, node_id, quote, score}}. */
public record Bid(String host, String nodeId, double quote, double score) {
}
