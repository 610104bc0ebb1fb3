package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JsonAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The answer to a failure no step of a core HTTP route answered itself (the job store refusing to
 * record a new job, say): {@code 500 {"error":"core_error","detail":…}}, logged at ERROR with the
 * job_id and the stack — instead of an empty 500 that would echo the request's headers. A job that
 * was not recorded was not dispatched either, so submitting it again is safe. A job store that cannot be
 * reached (its PostgreSQL server is down) is answered {@code 503 job_store_unavailable} instead.
 */
public final class CoreFault implements Processor {
    private static final Logger LOG = EscapingLogger.of(CoreFault.class);

    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String detail = caught == null ? "unknown failure" : caught.getMessage();
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        if (caught instanceof JobStoreUnavailableException) {
            // nothing was recorded, so nothing dispatched: the caller may send it again once the store is back
            LOG.error("{} {} refused{}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), jobId == null ? "" : " for job " + jobId, detail);
            JsonAnswer.refuse(exchange, 503, "job_store_unavailable", detail);
            return;
        }
        LOG.error("{} {} failed{}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH), jobId == null ? "" : " for job " + jobId, detail, caught);
        JsonAnswer.refuse(exchange, 500, "core_error", detail);
    }
}
