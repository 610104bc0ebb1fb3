package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Why an object call cannot be done, as the HTTP answer the user gets ({@code {error, …}}). */
final class StorageRefusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Map<String, Object> body;

    StorageRefusal(int status, String error, String detail, Object... moreFields) {
        super(error + ": " + detail);
        this.status = status;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("error", error);
        for (int i = 0; i + 1 < moreFields.length; i += 2) {
            fields.put((String) moreFields[i], moreFields[i + 1]);
        }
        fields.put("detail", detail);
        this.body = fields;
    }

    JsonAnswer answer() {
        return new JsonAnswer(status, body);
    }

    /** The refusal for a placement the broker could not make. */
    static StorageRefusal placement(MeshClient.Placement placement, int n) {
        if ("not_enough_hosts".equals(placement.error())) {
            return new StorageRefusal(503, "not_enough_hosts", "the object needs " + placement.need()
                    + " distinct hosts, the broker has " + placement.have(), "need", placement.need(),
                    "have", placement.have());
        }
        return new StorageRefusal(503, "storage_unavailable", "the broker placed no hosts: " + placement.error()
                + " (HTTP " + placement.status() + ")", "stored", 0, "need", n);
    }
}
