package com.sheratan.offgrid.core;

import java.util.Map;

/**
 * The jobs per status, as {@code /api/status} and the dashboard show them: kept in memory by the one
 * core of a file store ({@link StatusCounts}), counted by the database when several cores share it
 * ({@link SharedStatusCounts}).
 */
interface JobCounts {
    /** A committed write moved a job from {@code from} ({@code null} for a new or unknown status) to {@code to}. */
    void moved(JobStatus from, JobStatus to);

    /** Jobs per status, every status present (zero when none), in the order of {@link JobStatus}. */
    Map<JobStatus, Long> snapshot();
}
