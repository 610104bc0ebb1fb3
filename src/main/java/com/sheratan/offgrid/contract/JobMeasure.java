package com.sheratan.offgrid.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Set;

/**
 * The job type and size of SPEC section 3: what a quote is priced on. The one definition of the rule:
 * the core measures the JobSpec args it sends, a host measures the same args when it prices its
 * receipt, so the size a bid was asked for and the units a receipt charges are always equal.
 * <p>
 * Lengths are counted in characters (Unicode code points, as the SPEC's {@code len} counts them), not
 * UTF-16 units: an emoji is one character. A file write's content travels as {@code content_b64}
 * (SPEC section 3); its length is the characters of the UTF-8 text those bytes carry.
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

    /** Size in million tokens (characters / 4 / 1e6) by the rule of SPEC section 3, from JobSpec args. */
    public static double size(String kind, JsonNode args) {
        String k = kind == null ? "llm_call" : kind;
        return switch (k) {
            case "llm_call", "agent_plan" -> {
                JsonNode prompt = args == null ? null : args.get("prompt");
                yield prompt != null && prompt.isTextual() ? Math.max(0.001, tokens(characters(prompt.textValue()))) : 0.1;
            }
            case "list_files" -> 0.01;
            case "read_file" -> 0.05;
            case "write_file", "rewrite_file" -> Math.max(0.01, tokens(contentCharacters(args)));
            default -> 0.1;
        };
    }

    private static double tokens(long characters) {
        return characters / 4.0 / 1e6;
    }

    private static long characters(String text) {
        return text.codePointCount(0, text.length());
    }

    private static long contentCharacters(JsonNode args) {
        if (args == null) {
            return 0;
        }
        JsonNode content = args.get("content");
        if (content != null && content.isTextual()) {
            return characters(content.textValue());
        }
        JsonNode b64 = args.get("content_b64");
        if (b64 == null || !b64.isTextual()) {
            return 0;
        }
        byte[] utf8;
        try {
            utf8 = Base64.getDecoder().decode(b64.textValue());
        } catch (IllegalArgumentException e) {
            return 0; // not Base64: the host refuses the job as INVALID_ARGS; it measures as empty
        }
        // a UTF-8 character is one leading byte and its continuation bytes (10xxxxxx)
        long characters = 0;
        for (byte b : utf8) {
            if ((b & 0xC0) != 0x80) {
                characters++;
            }
        }
        return characters;
    }
}
