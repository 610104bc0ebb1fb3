package com.sheratan.offgrid.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The job type and size of SPEC section 3, from a job's kind and args: what a quote is priced on.
 * Hosts use it to price a JobSpec they run (the /run body carries no type or size).
 */
public final class JobMeasure {
    public static final String COMPUTE = "compute";
    public static final String STORAGE = "storage";
    private static final Set<String> STORAGE_KINDS = Set.of("read_file", "write_file", "rewrite_file", "list_files");

    private JobMeasure() {
    }

    /** {@code storage} for the file kinds, {@code compute} otherwise (a missing kind is {@code llm_call}). */
    public static String type(String kind) {
        return kind != null && STORAGE_KINDS.contains(kind) ? STORAGE : COMPUTE;
    }

    /** Size in million tokens by the rule of SPEC section 3, from JobSpec args. */
    public static double size(String kind, JsonNode args) {
        String k = kind == null ? "llm_call" : kind;
        return switch (k) {
            case "llm_call", "agent_plan" -> {
                JsonNode prompt = args == null ? null : args.get("prompt");
                yield prompt != null && prompt.isTextual() ? Math.max(0.001, prompt.textValue().length() / 4.0 / 1e6) : 0.1;
            }
            case "list_files" -> 0.01;
            case "read_file" -> 0.05;
            case "write_file", "rewrite_file" -> Math.max(0.01, contentLength(args) / 4.0 / 1e6);
            default -> 0.1;
        };
    }

    private static long contentLength(JsonNode args) {
        if (args == null) {
            return 0;
        }
        JsonNode content = args.get("content");
        if (content != null && content.isTextual()) {
            return content.textValue().length();
        }
        JsonNode b64 = args.get("content_b64");
        // decoded length of Base64 text, without decoding it
        return b64 != null && b64.isTextual() ? b64.textValue().length() * 3L / 4 : 0;
    }
}
