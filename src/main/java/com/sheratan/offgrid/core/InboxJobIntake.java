package com.sheratan.offgrid.core;

import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code *.json} file from the inbox: a bad one goes to {@code .error/} with its reason, a known
 * job_id to {@code .done/} without a second dispatch, a new job (or a replayed file-queue document)
 * on to dispatch — the file moves to {@code .done/} only once that has an outcome.
 */
public final class InboxJobIntake implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(InboxJobIntake.class);

    private final JobDocumentReader reader;
    private final JobStore store;
    private final Path inboxDir;

    public InboxJobIntake(JobDocumentReader reader, JobStore store, Path inboxDir) {
        this.reader = reader;
        this.store = store;
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
        JobIntake.admit(exchange, store, job, "inbox", LOG);
    }
}
