package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The file queue, and the dead-letter endpoint of the broker call: writes
 * {@code webrelay_out/<job_id>.job.json} (SPEC section 5) atomically — a hidden temporary file,
 * fsync, rename — so the local worker never sees half a job, then answers {@code 202 queued}.
 * The file name is the job_id, so a rename only ever replaces an earlier queue file of the same job.
 * When the folder cannot be written the job is NOT reported queued: it is marked failed and the
 * failure goes back to the caller (HTTP 503; the inbox file stays). When the file is written but
 * the job store cannot record it, the job is queued all the same: 202 with a {@code warning}, and
 * the next start of the core records it ({@link #recoverInterrupted}).
 */
public final class FileQueueWriter implements Processor {
    private static final Logger LOG = EscapingLogger.of(FileQueueWriter.class);
    /** The queue file's field with the job's dispatch attempt, which also tells a crashed core's file apart. */
    private static final String ATTEMPTS = "attempts";

    private final Path queueDir;
    private final JobRecorder recorder;
    private final Clock clock;
    private final CoreMeters meters;

    public FileQueueWriter(Path queueDir, JobRecorder recorder, Clock clock, CoreMeters meters) {
        this.meters = meters;
        this.queueDir = queueDir;
        this.recorder = recorder;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws FileQueueUnavailableException {
        String jobId = exchange.getProperty(CoreExchange.JOB_ID, String.class);
        FallbackReason reason = FallbackReason.of(exchange);
        String fileName = fileName(jobId);
        String jobFile = jobFile(fileName);
        int attempts = exchange.getProperty(CoreExchange.ATTEMPTS, 1, Integer.class);
        try {
            byte[] document = Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(document(exchange, jobId, reason.code(), attempts));
            AtomicFile.write(queueDir.resolve(fileName), document, AtomicFile.Sync.DURABLE);
        } catch (IOException e) {
            String why = "file_queue_unwritable: cannot write " + jobFile + " (" + describe(e) + ")";
            recorder.finish(jobId, JobStatus.FAILED, "file_queue", why, null);
            LOG.error("job {} NOT queued: {}; it was going to the file queue because {}", jobId, why, reason.detail());
            meters.outcome(exchange, "file_queue", JobStatus.FAILED, "file_queue_unwritable");
            throw new FileQueueUnavailableException(why, e);
        }
        String unrecorded = null;
        try {
            recorder.queued(jobId, reason.code(), jobFile);
            LOG.info("job {} -> file queue {} (reason {}: {})", jobId, jobFile, reason.code(), reason.detail());
        } catch (RuntimeException e) {
            // the file is written and fsync'd, so the job IS queued: say so, and do not fail the job (a
            // failed job submitted again would be queued a second time); the next start records it
            unrecorded = "queued, but the job store could not record it (" + e.getMessage() + "); until the core"
                    + " restarts, which records it queued, the job shows its earlier status";
            LOG.error("job {} -> file queue {} (reason {}: {}), but the job store could not record it: {}", jobId,
                    jobFile, reason.code(), reason.detail(), e.getMessage(), e);
        }

        answerQueued(exchange, jobId, jobFile, reason.code(), unrecorded);
    }

    /** {@code 202 {job_id, method:"file_queue", status:"queued", job_file, reason}} (SPEC 5), counted. */
    void answerQueued(Exchange exchange, String jobId, String jobFile, String reason, String warning) {
        meters.outcome(exchange, "file_queue", JobStatus.QUEUED, reason);
        ObjectNode reply = Json.object();
        reply.put("job_id", jobId);
        reply.put("method", "file_queue");
        reply.put("status", JobStatus.QUEUED.value());
        reply.put("job_file", jobFile);
        reply.put("reason", reason);
        if (warning != null) {
            reply.put("warning", warning);
        }
        new JsonAnswer(202, reply).writeTo(exchange.getMessage());
    }

    /**
     * After a crash: a job the previous run left without an outcome whose queue file for the very
     * attempt it was on is in the folder was queued — the core stopped after the file's fsync and
     * before the job store recorded it. It becomes {@code queued} (with the reason in its file)
     * instead of {@code failed}, so the job is not queued a second time when its inbox file is read
     * again. A queue file of an earlier attempt does not count.
     *
     * @return how many such jobs were found queued
     */
    public int recoverInterrupted(List<InterruptedJob> interrupted) {
        int recovered = 0;
        for (InterruptedJob job : interrupted) {
            String fileName = fileName(job.jobId());
            Path file = queueDir.resolve(fileName);
            if (!file.toFile().isFile()) {
                continue;
            }
            JsonNode document;
            try {
                document = Json.mapper().readTree(file.toFile());
            } catch (IOException e) {
                LOG.warn("job {}: its queue file {} cannot be read ({}); the job stays failed ({})", job.jobId(), file,
                        e.getMessage(), InterruptedJob.REASON);
                continue;
            }
            if (document == null || document.path(ATTEMPTS).asInt(-1) != job.attempts()) {
                continue;
            }
            String jobFile = jobFile(fileName);
            recorder.queued(job.jobId(), document.path("reason").asText(null), jobFile);
            LOG.info("job {} -> file queue {}: written there before the core stopped, so it is queued, not failed",
                    job.jobId(), jobFile);
            recovered++;
        }
        return recovered;
    }

    /**
     * What went wrong, without the absolute paths an {@link IOException}'s message names (an answer
     * must not tell a client where the server keeps its files): a {@link FileSystemException}'s file
     * and reason, with the file named from the queue folder on, as {@link #jobFile} names it.
     */
    private String describe(IOException e) {
        String detail;
        if (e instanceof FileSystemException fileError) {
            detail = fileError.getFile() == null ? null : shown(Path.of(fileError.getFile()));
            if (fileError.getReason() != null) {
                detail = detail == null ? fileError.getReason() : detail + ": " + fileError.getReason();
            }
        } else {
            detail = e.getMessage() == null ? null
                    : e.getMessage().replace(queueDir.toAbsolutePath().toString(), shown(queueDir));
        }
        return e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail);
    }

    /** {@code file} from the queue folder's name on when it is in that folder, else its own name. */
    private String shown(Path file) {
        Path folder = queueDir.toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(folder) && folder.getFileName() != null
                ? folder.getFileName().resolve(folder.relativize(absolute)).toString()
                : String.valueOf(absolute.getFileName());
    }

    private static String fileName(String jobId) {
        return jobId + ".job.json";
    }

    /** The queue file as a job's {@code job_file} names it: {@code webrelay_out/<job_id>.job.json}. */
    private String jobFile(String fileName) {
        return queueDir.getFileName() + "/" + fileName;
    }

    /** HTTP answer when the job could not be queued: 503, the job is not reported queued. */
    public void unavailable(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ObjectNode reply = Json.object();
        reply.put("job_id", exchange.getProperty(CoreExchange.JOB_ID, String.class));
        reply.put("status", JobStatus.FAILED.value());
        reply.put("reason", "file_queue_unwritable");
        reply.put("detail", caught == null ? null : caught.getMessage());
        new JsonAnswer(503, reply).writeTo(exchange.getMessage());
    }

    /** The file-queue document of SPEC 5 for the job on {@code exchange}, whichever queue it goes to. */
    ObjectNode document(Exchange exchange, String jobId, String reason, int attempts) {
        ObjectNode job = exchange.getProperty(CoreExchange.JOB, ObjectNode.class);
        OffgridRequest request = exchange.getProperty(CoreExchange.REQUEST, OffgridRequest.class);
        ObjectNode mapped = Json.mapper().valueToTree(request);
        ((ObjectNode) mapped.get("job")).remove("claim_token");

        String missionId = request.meta().missionId();
        ObjectNode doc = Json.object();
        doc.put("job_id", jobId);
        doc.put("kind", request.job().kind());
        doc.put("session_id", "core_v2_" + (missionId == null ? "none" : missionId));
        doc.put("created_at", clock.instant().toString());
        ObjectNode payload = doc.putObject("payload");
        payload.put("response_format", "lcp");
        payload.set("mission", reference(job.get("mission"), missionId));
        payload.set("task", reference(job.get("task"), request.meta().taskId()));
        payload.set("params", request.job().args());
        doc.put("reason", reason);
        doc.put(ATTEMPTS, attempts);
        doc.set("offgrid_request", mapped);
        return doc;
    }

    /** The job's own mission/task object, else {@code {id}} from mission_id/task_id, else null. */
    private static JsonNode reference(JsonNode given, String id) {
        if (given != null && given.isObject()) {
            return given;
        }
        if (id == null) {
            return Json.mapper().nullNode();
        }
        ObjectNode ref = Json.object();
        ref.put("id", id);
        return ref;
    }
}
