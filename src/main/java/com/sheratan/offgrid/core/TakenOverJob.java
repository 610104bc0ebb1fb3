package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * A job this core took over from a core whose lease ran out ({@link DispatchLeases}), body = its job_id:
 * admitted again from the document the store kept, as its interrupted attempt (same attempt_id), unless
 * it has an outcome by now (a queue file, a result, a client that sent it again): then the route stops.
 */
public final class TakenOverJob implements Processor {
    private static final Logger LOG = EscapingLogger.of(TakenOverJob.class);

    private final JobLookup jobs;
    private final JobIntake intake;

    public TakenOverJob(JobLookup jobs, JobIntake intake) {
        this.jobs = jobs;
        this.intake = intake;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        String jobId = exchange.getMessage().getBody(String.class);
        JobRecord job = jobs.find(jobId).orElse(null);
        String document = jobs.document(jobId).orElse(null);
        if (job == null || document == null || job.status() != JobStatus.FAILED
                || !InterruptedJob.REASON.equals(job.reason())) {
            exchange.setRouteStop(true);
            return;
        }
        ObjectNode json = (ObjectNode) Json.mapper().readTree(document);
        intake.admit(exchange, new IncomingJob(jobId, job.kind(), json, false), "takeover", LOG);
    }
}
