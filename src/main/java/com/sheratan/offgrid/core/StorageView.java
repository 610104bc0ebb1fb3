package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/storage}, the dashboard's storage panel (SPEC 14): objects and shard health per host
 * once the core stores objects on the mesh (SPEC 13). This core has no mesh storage, so it answers
 * {@code {enabled:false, detail}} and the panel shows "not enabled". When storage exists it answers
 * {@code {enabled:true, objects, bytes, hosts:[{node_id, shards, ok, missing, corrupt}]}}, which the
 * page already draws.
 */
public final class StorageView {
    public void show(Exchange exchange) {
        ObjectNode body = Json.object();
        body.put("enabled", false);
        body.put("detail", "this core keeps no objects on the mesh (SPEC 13 mesh storage is not part of it)");
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }
}
