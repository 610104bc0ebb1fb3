package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * A {@code *.json} file from the inbox: a bad one goes to {@code .error/} with its reason, a known
 * job_id to {@code .done/} without a second dispatch, a new job (or a replayed file-queue document)
 * on to dispatch — the file moves to {@code .done/} only once that has an outcome. A job the job store
 * cannot record is not dispatched: its file stays in the inbox and is read again at the next scan.
 */
public final class InboxJobIntake implements Processor {
    private static final Logger LOG = EscapingLogger.of(InboxJobIntake.class);

    private final JobDocumentReader reader;
    private final JobIntake intake;
    private final Path inboxDir;

    public InboxJobIntake(JobDocumentReader reader, JobIntake intake, Path inboxDir) {
        this.reader = reader;
        this.intake = intake;
        this.inboxDir = inboxDir;
    }

    @Override
    public void process(Exchange exchange) {
        IncomingJob job;
        try {
            job = reader.read(exchange.getMessage().getBody(byte[].class));
        } catch (InvalidJobException e) {
            ReasonNote.reject(exchange, inboxDir, e.getMessage(), LOG);
            return;
        }
        exchange.setProperty(CoreExchange.FILE_OUTCOME, ReasonNote.DONE);
        try {
            intake.admit(exchange, job, "inbox", LOG);
        } catch (RuntimeException e) {
            // the route fails, so the file stays where it is and the next scan submits the job again
            LOG.error("job {} from inbox file {}: {}; nothing was dispatched, the file stays in the inbox and is"
                    + " tried again", job.jobId(), exchange.getMessage().getHeader(Exchange.FILE_NAME),
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            throw e;
        }
    }
}
