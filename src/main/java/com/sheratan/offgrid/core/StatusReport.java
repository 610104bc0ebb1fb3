package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** {@code GET /api/status}: mode, broker URL, key id (never the secret), broker probe, jobs by status. */
public final class StatusReport implements Processor {
    private final CoreSettings settings;
    private final BrokerProbe probe;
    private final BrokerHealth health;
    private final JobLookup jobs;

    public StatusReport(CoreSettings settings, BrokerProbe probe, BrokerHealth health, JobLookup jobs) {
        this.settings = settings;
        this.probe = probe;
        this.health = health;
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode status = Json.object();
        status.put("status", "ok");
        status.put("service", "sheratan-core");
        status.put("mode", settings.mode().value());
        status.put("broker_url", settings.brokerUrl());
        status.put("key_id", settings.keys().signingKeyId());
        ObjectNode broker = probe.current();
        ObjectNode rejection = health.lastAuthRejection();
        broker.set("last_dispatch_auth_rejection", rejection);
        status.set("broker", broker);
        ObjectNode counts = status.putObject("jobs");
        jobs.countsByStatus().forEach((jobStatus, count) -> counts.put(jobStatus.value(), count));
        new JsonAnswer(200, status).writeTo(exchange.getMessage());
    }
}
