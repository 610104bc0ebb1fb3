package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;

/**
 * What comes in from Kafka when {@code offgrid.core.queue=kafka} (SPEC 15): jobs from topic
 * {@code offgrid.jobs.in}, as from the inbox, and the worker's results from {@code offgrid.jobs.results},
 * as from {@code webrelay_in/}. A record's offset is committed ({@link #commit}) only after what it carried
 * was recorded; a record that is no job or no result is logged with its place and skipped.
 */
public final class KafkaIntake {
    private static final Logger LOG = EscapingLogger.of(KafkaIntake.class);
    /** exchange property: the job of the record was admitted and goes on to dispatch */
    static final String ADMITTED = "offgridAdmitted";
    /** exchange property: the record's commit, kept past the answer, which drops the message's headers */
    private static final String COMMIT = "offgridKafkaCommit";

    private final JobDocumentReader reader;
    private final JobIntake intake;
    private final ResultIntake results;

    public KafkaIntake(JobDocumentReader reader, JobIntake intake, ResultIntake results) {
        this.reader = reader;
        this.intake = intake;
        this.results = results;
    }

    /** A job document of SPEC 2 (or a queue document, replayed): admitted, or answered as known. */
    public void job(Exchange exchange) {
        exchange.setProperty(ADMITTED, false);
        exchange.setProperty(COMMIT, exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT));
        IncomingJob job;
        try {
            job = reader.read(exchange.getMessage().getBody(byte[].class));
        } catch (InvalidJobException e) {
            LOG.warn("record {} is no job, skipped: {}", place(exchange), e.getMessage());
            return;
        }
        boolean admitted = intake.admit(exchange, job, "kafka", LOG);
        // a known job_id stops the route for HTTP; here the offset is still to be committed
        exchange.setRouteStop(false);
        exchange.setProperty(ADMITTED, admitted);
    }

    /** A worker's result {@code {ok, …}} keyed by job_id (else its own job_id field): completes the job. */
    public void result(Exchange exchange) throws IOException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String jobId = exchange.getMessage().getHeader(KafkaConstants.KEY, String.class);
        if (jobId == null || jobId.isBlank()) {
            jobId = Json.mapper().readTree(body).path("job_id").asText("");
        }
        String refused = results.complete(jobId, body, place(exchange));
        if (refused != null) {
            LOG.warn("result {} for job '{}' skipped: {}", place(exchange), jobId, refused);
        }
    }

    /** What the record carried is recorded: its offset is committed, so it is not read again. */
    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        }
        if (commit == null) {
            throw new IllegalStateException("record " + place(exchange) + " carries no commit: allowManualCommit is off");
        }
        commit.commit();
    }

    private static String place(Exchange exchange) {
        return exchange.getMessage().getHeader(KafkaConstants.TOPIC) + "/" + exchange.getMessage().getHeader(
                KafkaConstants.PARTITION) + "@" + exchange.getMessage().getHeader(KafkaConstants.OFFSET);
    }
}
