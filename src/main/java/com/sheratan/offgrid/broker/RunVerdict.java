package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the broker makes of a host's answer to {@code POST /run} (interop rules), judged here and
 * nowhere else: the job is DONE, the job itself failed and the answer is PASSED_THROUGH, or the host
 * failed and the broker FAILS_OVER. {@link #ok()} is the {@code ok} the broker answers and books;
 * {@code countsAgainstHost} says whether the host's reputation takes a failure for it.
 */
public record RunVerdict(Kind kind, String reason, boolean countsAgainstHost) {
    public enum Kind { DONE, PASSED_THROUGH, FAILS_OVER }

    /** Error codes that say "this host cannot take it now", not "the job is bad". */
    private static final Set<String> HOST_PROBLEMS = Set.of("UNAUTHORIZED", "UNSUPPORTED_KIND");
    /** The host runs this very attempt already: its result is to come from there (SPEC 8), never from a second run. */
    static final String IN_PROGRESS = "IN_PROGRESS";
    /** The job ran and failed on the host: passed through, but the host's failure. */
    private static final String FAILED = "FAILED";

    public static RunVerdict of(HostClient.Answer answer) {
        if (!answer.answered()) {
            return failsOver(answer.problem());
        }
        JsonNode json = answer.json();
        if (json == null || !json.isObject()) {
            return failsOver("answered HTTP " + answer.status() + " with a body that is not a JSON object");
        }
        if (answer.hostInactive()) {
            // switched off between its quote and the run: fail over, but an honest "off" is not its failure
            return new RunVerdict(Kind.FAILS_OVER, HostClient.Answer.INACTIVE, false);
        }
        JsonNode ok = json.get("ok");
        if (ok != null && ok.isBoolean()) {
            if (ok.asBoolean()) {
                return done();
            }
            String code = json.path("error_code").asText("");
            String why = code + (json.hasNonNull("error") ? ": " + json.get("error").asText() : "");
            // IN_PROGRESS gets here when the host still ran the attempt after a run timeout of asking
            // again: passed through (no second host runs it), and not the host's failure
            return HOST_PROBLEMS.contains(code)
                    ? failsOver("answered HTTP " + answer.status() + " " + why)
                    : new RunVerdict(Kind.PASSED_THROUGH, why, FAILED.equals(code));
        }
        if (answer.status() / 100 == 2 && json.has("result")) {
            // an older host: result without ok/output/receipt; its result.ok, when there is one, is the job's ok
            JsonNode result = json.get("result");
            if (result.path("ok").isBoolean() && !result.get("ok").asBoolean()) {
                return new RunVerdict(Kind.PASSED_THROUGH, FAILED + ": result.ok false"
                        + (result.hasNonNull("error") ? ", " + result.get("error").asText() : ""), true);
            }
            return done();
        }
        String error = json.path("error").asText("");
        return failsOver("answered HTTP " + answer.status() + (error.isEmpty() ? " without an ok field" : " " + error));
    }

    /** Whether the host answered that it is running this attempt already (ask it again, not another host). */
    public static boolean inProgress(HostClient.Answer answer) {
        return answer.answered() && answer.json() != null
                && IN_PROGRESS.equals(answer.json().path("error_code").asText(""));
    }

    /** The job ran to success: the broker answers and books {@code ok:true}. */
    public boolean ok() {
        return kind == Kind.DONE;
    }

    /** The host said ok, but its receipt is forged or does not match the dispatch: its failure, fail over. */
    public static RunVerdict invalidReceipt(String why) {
        return failsOver("invalid receipt: " + why);
    }

    private static RunVerdict done() {
        return new RunVerdict(Kind.DONE, null, false);
    }

    private static RunVerdict failsOver(String reason) {
        return new RunVerdict(Kind.FAILS_OVER, reason, true);
    }
}
