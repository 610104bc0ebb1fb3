package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.LogContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sheratan.offgrid.contract.JobSpec;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import java.io.IOException;
import java.time.Clock;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The checks a {@code POST /run} passes, after its signature and before the job runs: a readable
 * {@code {job_id, job}} body, a claim token made with one of the mesh's keys, an active host, a
 * deadline not yet passed, a kind this host runs.
 */
public final class RunGate {
    static final String RUN = "offgridRun";
    static final String KIND = "offgridKind";
    static final String ARGS = "offgridArgs";

    private final HostProfile profile;
    private final AuthKeys keys;
    private final Clock clock;

    public RunGate(HostProfile profile, AuthKeys keys, Clock clock) {
        this.profile = profile;
        this.keys = keys;
        this.clock = clock;
    }

    /** Parses the body; the request, its kind and its args become exchange properties. */
    public RunRequest read(@Body byte[] body, Exchange exchange) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw JobFailure.invalidArgs("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw JobFailure.invalidArgs("the body is not readable: " + e.getMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("job").isObject()) {
            throw JobFailure.invalidArgs("the body must be {\"job_id\": …, \"job\": {JobSpec v1}}");
        }
        JobSpec job;
        try {
            job = Json.mapper().treeToValue(tree.get("job"), JobSpec.class);
        } catch (JsonProcessingException e) {
            throw JobFailure.invalidArgs("job is not a JobSpec v1: " + e.getOriginalMessage());
        }
        if (job.contractVersion() != JobSpec.CONTRACT_VERSION) {
            throw JobFailure.invalidArgs("job.contract_version must be 1, was " + job.contractVersion());
        }
        if (isBlank(job.jobId()) || isBlank(job.attemptId()) || isBlank(job.kind())) {
            throw JobFailure.invalidArgs("job.job_id, job.attempt_id and job.kind are required");
        }
        String jobId = tree.path("job_id").isTextual() ? tree.get("job_id").textValue() : job.jobId();
        if (!jobId.equals(job.jobId())) {
            throw JobFailure.invalidArgs("job_id '" + jobId + "' differs from job.job_id '" + job.jobId() + "'");
        }
        JsonNode args = job.args() == null || job.args().isNull() ? JsonNodeFactory.instance.objectNode() : job.args();
        if (!args.isObject()) {
            throw JobFailure.invalidArgs("job.args must be an object");
        }
        RunRequest run = new RunRequest(jobId, job);
        LogContext.job(jobId, exchange.getMessage().getHeader("X-Request-Id", String.class));
        exchange.setProperty(RUN, run);
        exchange.setProperty(KIND, job.kind());
        exchange.setProperty(ARGS, args);
        return run;
    }

    public void checkClaimToken(@ExchangeProperty(RUN) RunRequest run) {
        JobSpec job = run.job();
        if (!ClaimToken.verify(keys, job.jobId(), job.attemptId(), job.deadlineTs(), job.claimToken())) {
            throw new JobFailure(RunErrorCode.UNAUTHORIZED,
                    "the claim token does not match job_id, attempt_id and deadline_ts under any key of this mesh");
        }
    }

    public void checkActive() {
        if (!profile.isActive()) {
            throw new HostInactive(profile.nodeId());
        }
    }

    public void checkDeadline(@ExchangeProperty(RUN) RunRequest run) {
        long now = clock.instant().getEpochSecond();
        if (now > run.job().deadlineTs()) {
            throw new JobFailure(RunErrorCode.DEADLINE_EXCEEDED, "the deadline " + run.job().deadlineTs()
                    + " passed " + (now - run.job().deadlineTs()) + " s ago");
        }
    }

    public void checkKind(@ExchangeProperty(KIND) String kind) {
        if (!profile.supports(kind)) {
            throw unsupported(kind);
        }
    }

    JobFailure unsupported(String kind) {
        return new JobFailure(RunErrorCode.UNSUPPORTED_KIND, "this host does not run kind '" + kind + "'");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
