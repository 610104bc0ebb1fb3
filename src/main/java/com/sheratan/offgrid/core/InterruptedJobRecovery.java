package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.util.List;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;

/**
 * When the core starts, before any route takes a job: of the jobs the last run left without an
 * outcome, those whose queue file was written are recorded queued ({@link FileQueueWriter#recoverInterrupted});
 * the others stay failed and resume when submitted again. A Camel service added after the job store's,
 * so its writer runs by then.
 */
final class InterruptedJobRecovery extends ServiceSupport {
    private static final Logger LOG = EscapingLogger.of(InterruptedJobRecovery.class);

    private final List<InterruptedJob> jobs;
    private final FileQueueWriter fileQueue;

    InterruptedJobRecovery(List<InterruptedJob> jobs, FileQueueWriter fileQueue) {
        this.jobs = jobs;
        this.fileQueue = fileQueue;
    }

    @Override
    protected void doStart() {
        if (jobs.isEmpty()) {
            return;
        }
        int queued = fileQueue.recoverInterrupted(jobs);
        LOG.warn("{} job(s) were cut off mid-dispatch by the last stop of the core: {} of them had been written to"
                + " the file queue and are queued; the others are marked failed ('{}') — inbox files of them are"
                + " still in the inbox and resume with the same attempt_id", jobs.size(), queued, InterruptedJob.REASON);
    }
}
