package com.sheratan.offgrid.config;

import org.slf4j.MDC;

/**
 * What a log line knows about the work it is part of (SPEC 14, {@code OFFGRID_LOG_FORMAT=json}): the
 * role, and the job and request the current exchange carries, in the SLF4J MDC. Camel's MDC logging
 * (on with the json format) clears {@code job_id} and {@code req_id} when the exchange is done.
 */
public final class LogContext {
    public static final String ROLE = "role";
    public static final String JOB_ID = "job_id";
    public static final String REQ_ID = "req_id";
    /** The MDC keys Camel clears after each exchange ({@code camel.main.mdc-logging-keys-pattern}). */
    public static final String EXCHANGE_KEYS = JOB_ID + "," + REQ_ID;

    private LogContext() {
    }

    /** The job (and request, when known) the current thread works on, until its exchange is done. */
    public static void job(String jobId, String reqId) {
        if (jobId != null) {
            MDC.put(JOB_ID, jobId);
        }
        if (reqId != null) {
            MDC.put(REQ_ID, reqId);
        }
    }
}
