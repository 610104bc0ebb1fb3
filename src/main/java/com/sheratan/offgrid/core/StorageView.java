package com.sheratan.offgrid.core;

import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.core.objects.ObjectStore;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/storage}, the dashboard's storage panel (SPEC 14): {@code {enabled:true, objects, bytes,
 * hosts:[{node_id, shards, ok, missing, corrupt}], detail}} from the core's mesh storage (SPEC 13),
 * the health as the last repair pass found it.
 */
public final class StorageView {
    private final ObjectStore objects;

    public StorageView(ObjectStore objects) {
        this.objects = objects;
    }

    public void show(Exchange exchange) {
        JsonAnswer.ok(objects.summary()).writeTo(exchange.getMessage());
    }
}
