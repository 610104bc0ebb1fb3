package com.sheratan.offgrid.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical form of a JSON value, the bytes a receipt signature covers (SPEC section 8):
 * object keys sorted (by code point), no insignificant whitespace, strings escaped the JSON way
 * (only {@code "}, {@code \} and control characters; other characters as UTF-8), numbers without
 * exponent and without trailing zeros ({@code 1.0} → {@code 1}, {@code 0.0001} → {@code 0.0001}).
 * Signer and verifier both canonicalise the parsed tree, so any JSON library that keeps the values
 * can reproduce the bytes.
 */
public final class CanonicalJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(gen, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise JSON canonically", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator gen, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                names.sort(null);
                gen.writeStartObject();
                for (String name : names) {
                    gen.writeFieldName(name);
                    write(gen, node.get(name));
                }
                gen.writeEndObject();
            }
            case ARRAY -> {
                gen.writeStartArray();
                for (JsonNode element : node) {
                    write(gen, element);
                }
                gen.writeEndArray();
            }
            case NUMBER -> gen.writeNumber(plainNumber(node));
            case STRING -> gen.writeString(node.textValue());
            case BOOLEAN -> gen.writeBoolean(node.booleanValue());
            case NULL, MISSING -> gen.writeNull();
            default -> throw new IllegalArgumentException("JSON value of type " + node.getNodeType()
                    + " has no canonical form");
        }
    }

    private static String plainNumber(JsonNode number) {
        BigDecimal value = number.isIntegralNumber() ? new BigDecimal(number.bigIntegerValue())
                : number.isBigDecimal() ? number.decimalValue() : new BigDecimal(Double.toString(number.doubleValue()));
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }
}
