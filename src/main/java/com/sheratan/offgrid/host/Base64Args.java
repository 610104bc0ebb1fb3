package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Byte arguments given as text or as Base64, strictly decoded: anything that is not Base64 is {@code INVALID_ARGS}. */
final class Base64Args {
    private Base64Args() {
    }

    /** The UTF-8 bytes of {@code args[textField]}, else the decoded {@code args[base64Field]}; neither is {@code INVALID_ARGS}. */
    static byte[] bytes(JsonNode args, String textField, String base64Field, String whenMissing) {
        if (args.path(textField).isTextual()) {
            return args.get(textField).textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (args.path(base64Field).isTextual()) {
            try {
                return Base64.getDecoder().decode(args.get(base64Field).textValue().strip());
            } catch (IllegalArgumentException e) {
                throw JobFailure.invalidArgs("args." + base64Field + " is not valid Base64: " + e.getMessage());
            }
        }
        throw JobFailure.invalidArgs(whenMissing);
    }
}
