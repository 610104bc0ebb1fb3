package com.sheratan.offgrid.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a JSON value against a schema of an OpenAPI 3.1 document: the part of JSON Schema these
 * documents use ({@code $ref} to components, {@code type} (one or a list), {@code const}, {@code enum},
 * {@code required}, {@code properties}, {@code additionalProperties}, {@code items}, {@code oneOf}).
 */
public final class SchemaCheck {
    private final JsonNode document;

    public SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** What does not match, one line per problem; empty when the value matches. */
    public List<String> problems(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out);
        return out;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        if (schema.has("$ref")) {
            String[] path = schema.get("$ref").asText().substring(2).split("/");
            JsonNode target = document;
            for (String step : path) {
                target = target.path(step);
            }
            if (target.isMissingNode()) {
                out.add(at + ": unresolved " + schema.get("$ref").asText());
                return;
            }
            check(target, value, at, out);
            return;
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            for (JsonNode option : schema.get("oneOf")) {
                if (problems(option, value).isEmpty()) {
                    matching++;
                }
            }
            if (matching == 0) {
                out.add(at + ": matches none of oneOf");
            }
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            out.add(at + ": " + value + " is not " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                out.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            out.add(at + ": " + value.getNodeType() + " is not " + schema.get("type"));
            return;
        }
        if (value.isObject()) {
            schema.path("required").forEach(name -> {
                if (!value.has(name.asText())) {
                    out.add(at + ": missing " + name.asText());
                }
            });
            schema.path("properties").fields().forEachRemaining(p -> {
                if (value.has(p.getKey())) {
                    check(p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), out);
                }
            });
            JsonNode extra = schema.get("additionalProperties");
            if (extra != null && extra.isObject()) {
                value.fields().forEachRemaining(f -> {
                    if (!schema.path("properties").has(f.getKey())) {
                        check(extra, f.getValue(), at + "." + f.getKey(), out);
                    }
                });
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (typeMatches(one, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
