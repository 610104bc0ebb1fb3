package com.sheratan.offgrid.core;

/**
 * Names of the exchange properties a job carries through the core routes. Properties, not headers:
 * they survive the HTTP bridge to the broker and are never sent or answered by accident.
 */
public final class CoreExchange {
    public static final String JOB_ID = "offgridJobId";
    public static final String JOB = "offgridJob";
    public static final String REQUEST = "offgridRequest";
    public static final String REQUEST_BYTES = "offgridRequestBytes";
    public static final String REQ_ID = "offgridReqId";
    public static final String ATTEMPT_ID = "offgridAttemptId";
    /** the job's dispatch attempt, counting this one (the job store's {@code attempts}) */
    public static final String ATTEMPTS = "offgridAttempts";
    public static final String REASON = "offgridReason";
    public static final String BROKER_ANSWER = "offgridBrokerAnswer";
    /** how the job came in: {@code http}, {@code inbox}, {@code route} (a user route) or {@code retry} */
    public static final String INTAKE = "offgridIntake";
    public static final String STARTED_NANOS = "offgridStartedNanos";
    /** the inbox sub-folder a consumed file moves to: {@code .done} or {@code .error} */
    public static final String FILE_OUTCOME = "offgridFileOutcome";

    private CoreExchange() {
    }
}
