package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.JobSpec;

/** The request the core sends to the broker's {@code POST /auction} (SPEC section 3). */
public record OffgridRequest(String jobId, String type, double size, long latencyMs, ObjectNode constraints,
                             Meta meta, JobSpec job, String reqId) {

    /** {@code meta}: where the job came from. */
    public record Meta(String missionId, String taskId, String kind, String coreVersion) {
    }
}
