package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * {@code POST /api/jobs/{id}/retry} (SPEC 14): a {@code failed} or {@code queued} job is dispatched
 * again as a new attempt of the same job_id, from the document the store kept; any other status is
 * {@code 409 not_retryable}. A queued job's file leaves the file queue first (to
 * {@code webrelay_out/.retried/}), so the local worker does not run it beside the new attempt.
 */
public final class JobRetry implements Processor {
    private static final Logger LOG = EscapingLogger.of(JobRetry.class);
    static final String RETRIED = ".retried";

    private final JobLookup jobs;
    private final JobIntake intake;
    private final Path fileQueueDir;

    public JobRetry(JobLookup jobs, JobIntake intake, Path fileQueueDir) {
        this.jobs = jobs;
        this.intake = intake;
        this.fileQueueDir = fileQueueDir;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        String jobId = exchange.getMessage().getHeader("id", String.class);
        JobRecord job = jobs.find(jobId).orElse(null);
        if (job == null) {
            JsonAnswer.refuse(exchange, 404, "not_found", "no job with job_id '" + jobId + "'");
            return;
        }
        boolean queued = job.status() == JobStatus.QUEUED;
        if (!queued && job.status() != JobStatus.FAILED) {
            ObjectNode body = Json.object();
            body.put("error", "not_retryable");
            body.put("status", job.status().value());
            body.put("detail", "only a failed or queued job is dispatched again; job " + jobId + " is " + job.status().value());
            new JsonAnswer(409, body).finish(exchange);
            return;
        }
        ObjectNode document = (ObjectNode) Json.mapper().readTree(jobs.document(jobId).orElseThrow());
        if (queued) {
            Path file = fileQueueDir.resolve(jobId + ".job.json");
            if (Files.exists(file)) {
                Path aside = Files.createDirectories(fileQueueDir.resolve(RETRIED)).resolve(file.getFileName());
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("job {}: its queue file moved to {} before the retry", jobId, aside);
            }
        }
        // replay: a queued job may be admitted again, as a file-queue document dropped into the inbox is
        intake.admit(exchange, new IncomingJob(jobId, job.kind(), document, true), "retry", LOG);
    }
}
