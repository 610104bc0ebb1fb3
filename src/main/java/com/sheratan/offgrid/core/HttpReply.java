package com.sheratan.offgrid.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;

/** Puts an HTTP answer on the exchange: status, JSON body, and no internal or broker headers. */
final class HttpReply {
    private HttpReply() {
    }

    static void json(Exchange exchange, int status, JsonNode body) {
        try {
            JsonAnswer.put(exchange.getMessage(), status, Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }

    /** {@code {error, detail}} and the route stops: nothing else happens to this request. */
    static void refuse(Exchange exchange, int status, String error, String detail) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("error", error);
        body.put("detail", detail);
        json(exchange, status, body);
        exchange.setRouteStop(true);
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }
}
