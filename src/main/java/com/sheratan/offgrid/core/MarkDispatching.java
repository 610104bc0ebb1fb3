package com.sheratan.offgrid.core;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job goes to the broker: status {@code dispatching}, and a log line saying so and why. */
public final class MarkDispatching implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(MarkDispatching.class);

    private final JobStore store;
    private final CoreMode mode;
    private final String brokerUrl;

    public MarkDispatching(JobStore store, CoreMode mode, String brokerUrl) {
        this.store = store;
        this.mode = mode;
        this.brokerUrl = brokerUrl;
    }

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        String reqId = exchange.getProperty(CoreExchange.REQ_ID, String.class);
        String attemptId = exchange.getProperty(CoreExchange.ATTEMPT_ID, String.class);
        store.dispatching(jobId, reqId, attemptId);
        LOG.info("job {} -> broker {} (OFFGRID_MODE={}{}) req_id={} attempt_id={}", jobId, brokerUrl, mode.value(),
                mode == CoreMode.AUTO ? ", file queue if the mesh cannot take it" : ", fails if the mesh cannot take it",
                reqId, attemptId);
    }
}
