package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The job goes to the broker: a log line saying so, why, and what happens if the mesh cannot take it.
 * The job store already holds it {@code dispatching} with these req_id and attempt_id — intake
 * recorded it so as it admitted the job ({@link JobRecorder#admit}), so a store that refuses that
 * refuses the job before anything is dispatched.
 */
public final class LogBrokerDispatch implements Processor {
    private static final Logger LOG = EscapingLogger.of(LogBrokerDispatch.class);

    private final CoreMode mode;
    private final String brokerUrl;

    public LogBrokerDispatch(CoreMode mode, String brokerUrl) {
        this.mode = mode;
        this.brokerUrl = brokerUrl;
    }

    @Override
    public void process(Exchange exchange) {
        LOG.info("job {} -> broker {} (OFFGRID_MODE={}{}) req_id={} attempt_id={}",
                exchange.getProperty(CoreExchange.JOB_ID, String.class), brokerUrl, mode.value(),
                mode == CoreMode.AUTO ? ", file queue if the mesh cannot take it" : ", fails if the mesh cannot take it",
                exchange.getProperty(CoreExchange.REQ_ID, String.class),
                exchange.getProperty(CoreExchange.ATTEMPT_ID, String.class));
    }
}
