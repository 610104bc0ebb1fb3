package com.sheratan.offgrid.host;

import com.sheratan.offgrid.contract.JobSpec;

/** The body of {@code POST /run}: {@code {job_id, job}}, the job being the untouched JobSpec v1. */
public record RunRequest(String jobId, JobSpec job) {
}
