package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/** What the dispatches have seen of the broker, for {@code GET /api/status}: above all a 401. */
public final class BrokerHealth {
    private final String brokerUrl;
    private final String keyId;
    private final Clock clock;
    private final AtomicReference<ObjectNode> lastAuthRejection = new AtomicReference<>();

    public BrokerHealth(String brokerUrl, String keyId, Clock clock) {
        this.brokerUrl = brokerUrl;
        this.keyId = keyId;
        this.clock = clock;
    }

    void authRejected(String error) {
        ObjectNode rejection = Json.object();
        rejection.put("error", error);
        rejection.put("at", clock.instant().toString());
        lastAuthRejection.set(rejection);
    }

    /** A signed request went through: an earlier rejection is history. */
    void accepted() {
        if (lastAuthRejection.get() != null) {
            lastAuthRejection.set(null);
        }
    }

    ObjectNode lastAuthRejection() {
        return lastAuthRejection.get();
    }

    String brokerUrl() {
        return brokerUrl;
    }

    String keyId() {
        return keyId;
    }
}
