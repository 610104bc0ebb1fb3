package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the broker makes of a host's answer to {@code POST /run} (interop rules): the job is DONE,
 * the job itself failed and the answer is PASSED_THROUGH, or the host failed and the broker FAILS_OVER.
 */
public record RunVerdict(Kind kind, String reason) {
    public enum Kind { DONE, PASSED_THROUGH, FAILS_OVER }

    /** Error codes that say "this host cannot take it now", not "the job is bad". */
    private static final Set<String> HOST_PROBLEMS = Set.of("UNAUTHORIZED", "IN_PROGRESS", "UNSUPPORTED_KIND");

    public static RunVerdict of(HostClient.Answer answer) {
        if (!answer.answered()) {
            return failsOver(answer.problem());
        }
        JsonNode json = answer.json();
        if (json == null || !json.isObject()) {
            return failsOver("answered HTTP " + answer.status() + " with a body that is not a JSON object");
        }
        JsonNode ok = json.get("ok");
        if (ok != null && ok.isBoolean()) {
            if (ok.asBoolean()) {
                return new RunVerdict(Kind.DONE, null);
            }
            String code = json.path("error_code").asText("");
            String why = code + (json.hasNonNull("error") ? ": " + json.get("error").asText() : "");
            return HOST_PROBLEMS.contains(code)
                    ? failsOver("answered HTTP " + answer.status() + " " + why)
                    : new RunVerdict(Kind.PASSED_THROUGH, why);
        }
        if (answer.status() / 100 == 2 && json.has("result")) {
            return new RunVerdict(Kind.DONE, null); // an older host: result without ok/output/receipt
        }
        String error = json.path("error").asText("");
        return failsOver("answered HTTP " + answer.status() + (error.isEmpty() ? " without an ok field" : " " + error));
    }

    private static RunVerdict failsOver(String reason) {
        return new RunVerdict(Kind.FAILS_OVER, reason);
    }
}
