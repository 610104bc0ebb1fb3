package com.sheratan.offgrid.core;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job goes to the broker: status {@code dispatching}, and a log line saying so and why. When the job
 * store cannot record that, the job goes nowhere: it ends {@code failed} with reason
 * {@code job_store_error} (retryable by submitting it again) and the caller gets 500 ({@link JobStoreRefusal});
 * an inbox file stays in the inbox, so the next scan submits it again by itself.
 */
public final class MarkDispatching implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(MarkDispatching.class);
    static final String NOT_MARKED = "job_store_error";

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
        try {
            store.dispatching(jobId, reqId, attemptId);
        } catch (RuntimeException e) {
            JobStoreRefusal refusal = JobStoreRefusal.of(jobId, NOT_MARKED, "the job store could not mark the job"
                    + " dispatching, so it was not sent to the broker; submit it again", e);
            LOG.error("job {}: {}", jobId, refusal.detail(), e);
            refusal.answer(exchange, store, JobStore.PENDING, null, LOG);
            if (exchange.getProperty(CoreExchange.FILE_OUTCOME) != null) {
                // an inbox file: the route fails, so the file stays and the next scan submits the job again
                throw new IllegalStateException(refusal.detail() + "; the inbox file stays and is tried again", e);
            }
            exchange.setRouteStop(true);
            return;
        }
        LOG.info("job {} -> broker {} (OFFGRID_MODE={}{}) req_id={} attempt_id={}", jobId, brokerUrl, mode.value(),
                mode == CoreMode.AUTO ? ", file queue if the mesh cannot take it" : ", fails if the mesh cannot take it",
                reqId, attemptId);
    }
}
