package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.security.Digests;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.ExchangeProperty;

/** The kinds {@code echo} and {@code sha256}. */
public final class TextJobs {

    /** output = {@code args.text} (empty when absent). */
    public JobOutcome echo(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        JsonNode text = args.get("text");
        String output = text == null || text.isNull() ? "" : text.isTextual() ? text.textValue() : text.toString();
        return new JobOutcome(output, Map.of("text", output));
    }

    /** output = hex SHA-256 of {@code args.text} (UTF-8), or of {@code args.data_b64} decoded. */
    public JobOutcome sha256(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        byte[] data = Base64Args.bytes(args, "text", "data_b64",
                "sha256 needs args.text (a string) or args.data_b64 (Base64)");
        String hex = Digests.sha256Hex(data);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sha256", hex);
        result.put("bytes", data.length);
        return new JobOutcome(hex, result);
    }
}
