package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.LogContext;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

/** What HTTP and inbox intake share: record the job, or answer a known job_id as it stands. */
public final class JobIntake {
    private final JobRecorder recorder;
    private final JobLookup lookup;
    private final CoreMode mode;

    public JobIntake(JobRecorder recorder, JobLookup lookup, CoreMode mode) {
        this.recorder = recorder;
        this.lookup = lookup;
        this.mode = mode;
    }

    /**
     * True when the job goes on to dispatch; false when it is already known (the route stops). When
     * the mode sends jobs to the broker, the dispatch's req_id and attempt_id are chosen here and the
     * job is recorded {@code dispatching} with them as it is admitted (the schema mapper then uses them).
     */
    boolean admit(Exchange exchange, IncomingJob job, String source, Logger log) {
        JobRecorder.BrokerAttempt broker = mode == CoreMode.DISABLED ? null
                : new JobRecorder.BrokerAttempt(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        JobRecorder.Admitted admitted = recorder.admit(job, source, broker);
        JobRecorder.Admission admission = admitted.admission();
        if (admission == JobRecorder.Admission.KNOWN) {
            JobRecord known = lookup.find(job.jobId()).orElseThrow();
            log.info("job {} from {} is already known ({}): nothing dispatched again", job.jobId(), source,
                    known.status());
            new JsonAnswer(known.status().settled() ? 200 : 202, known.toJson()).writeTo(exchange.getMessage());
            exchange.setRouteStop(true);
            return false;
        }
        if (admitted.resumeAttemptId() != null) {
            log.info("job {} from {} was interrupted by a stop of the core: resuming attempt_id {}", job.jobId(), source,
                    admitted.resumeAttemptId());
            exchange.setProperty(CoreExchange.ATTEMPT_ID, admitted.resumeAttemptId());
        } else {
            if (admission == JobRecorder.Admission.RETRY) {
                log.info("job {} from {} was {}: dispatching it again", job.jobId(), source,
                        job.replay() ? "queued and is replayed" : "failed");
            }
            if (broker != null) {
                exchange.setProperty(CoreExchange.ATTEMPT_ID, broker.attemptId());
            }
        }
        if (broker != null) {
            exchange.setProperty(CoreExchange.REQ_ID, broker.reqId());
        }
        exchange.setProperty(CoreExchange.JOB_ID, job.jobId());
        LogContext.job(job.jobId(), broker != null ? broker.reqId() : null);
        exchange.setProperty(CoreExchange.INTAKE, source);
        exchange.setProperty(CoreExchange.ATTEMPTS, admitted.attempts());
        exchange.setProperty(CoreExchange.JOB, job.document());
        exchange.setProperty(CoreExchange.STARTED_NANOS, System.nanoTime());
        return true;
    }
}
