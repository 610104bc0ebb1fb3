package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;

/**
 * The file queue on Kafka ({@code offgrid.core.queue=kafka}, SPEC 15), the dead-letter endpoint's other
 * engine: the route {@code kafka-queue} sends the file-queue document of SPEC 5 to topic
 * {@value #TOPIC}, keyed by job_id, with an idempotent producer and {@code acks=all}. The job is recorded
 * and answered {@code queued} only after Kafka acknowledged the record; a record Kafka did not
 * acknowledge (broker down, timed out) fails the job and answers 503, as an unwritable queue folder does.
 */
public final class KafkaQueueWriter {
    private static final Logger LOG = EscapingLogger.of(KafkaQueueWriter.class);
    static final String TOPIC = "offgrid.jobs.queued";

    private final FileQueueWriter documents;
    private final JobRecorder recorder;
    private final CoreMeters meters;

    public KafkaQueueWriter(FileQueueWriter documents, JobRecorder recorder, CoreMeters meters) {
        this.documents = documents;
        this.recorder = recorder;
        this.meters = meters;
    }

    /** The body becomes the job's queue document, the record key its job_id. */
    public void document(Exchange exchange) throws JsonProcessingException {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        int attempts = exchange.getProperty(CoreExchange.ATTEMPTS, 1, Integer.class);
        exchange.getMessage().setBody(Json.mapper().writeValueAsBytes(documents.document(exchange, jobId,
                FallbackReason.of(exchange).code(), attempts)));
        exchange.getMessage().setHeader(KafkaConstants.KEY, jobId);
    }

    /** Kafka acknowledged the record: the job is queued. */
    public void queued(Exchange exchange) {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        FallbackReason reason = FallbackReason.of(exchange);
        String where = where(jobId);
        String unrecorded = null;
        try {
            recorder.queued(jobId, reason.code(), where);
            LOG.info("job {} -> Kafka {} (reason {}: {})", jobId, where, reason.code(), reason.detail());
        } catch (RuntimeException e) {
            // acknowledged by Kafka, so the job IS queued: say so rather than fail it (it would be queued twice)
            unrecorded = "queued, but the job store could not record it (" + e.getMessage() + ")";
            LOG.error("job {} -> Kafka {}, but the job store could not record it: {}", jobId, where, e.getMessage(), e);
        }
        documents.answerQueued(exchange, jobId, where, reason.code(), unrecorded);
    }

    /** Kafka did not acknowledge the record: the job is not queued; it is failed and the caller hears 503. */
    public void unwritable(Exchange exchange) throws FileQueueUnavailableException {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = "file_queue_unwritable: Kafka did not acknowledge " + where(jobId) + " ("
                + (cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage()) + ")";
        recorder.finish(jobId, JobStatus.FAILED, "file_queue", why, null);
        LOG.error("job {} NOT queued: {}; it was going to the queue because {}", jobId, why,
                FallbackReason.of(exchange).detail());
        meters.outcome(exchange, "file_queue", JobStatus.FAILED, "file_queue_unwritable");
        throw new FileQueueUnavailableException(why, cause);
    }

    /** Where a queued job is, as its {@code job_file} names it: {@code kafka:offgrid.jobs.queued/<job_id>}. */
    static String where(String jobId) {
        return "kafka:" + TOPIC + "/" + jobId;
    }
}
