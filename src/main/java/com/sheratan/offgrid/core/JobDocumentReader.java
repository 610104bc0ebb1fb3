package com.sheratan.offgrid.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads the job document of SPEC section 2 from raw bytes (HTTP body or inbox file) and says
 * precisely what is wrong with a bad one. A file-queue document (section 5) is turned back into
 * the job it was made from, so moving it from {@code webrelay_out/} into the inbox replays it.
 */
public final class JobDocumentReader {
    /** job ids name files ({@code <job_id>.job.json}), so they may not carry path characters */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Jackson's own words without its internal source description, with line and column. */
    private static String plain(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int marker = message.indexOf(" (start marker at");
        if (marker > 0) {
            message = message.substring(0, marker);
        }
        return e.getLocation() == null ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    public IncomingJob read(byte[] bytes) throws InvalidJobException {
        if (bytes == null || bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidJobException("empty document: a job is a JSON object with at least 'kind'");
        }
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidJobException("malformed JSON: " + plain(e));
        } catch (IOException e) {
            throw new InvalidJobException("unreadable document: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidJobException("a job must be a JSON object, got " + describe(root));
        }
        ObjectNode document = (ObjectNode) root;
        boolean replay = isFileQueueDocument(document);
        ObjectNode job = replay ? fromFileQueueDocument(document) : document;
        return validate(job, replay);
    }

    private static IncomingJob validate(ObjectNode job, boolean replay) throws InvalidJobException {
        JsonNode kind = job.get("kind");
        if (kind == null || kind.isNull()) {
            throw new InvalidJobException("missing 'kind': say what the job is, e.g. \"kind\": \"echo\"");
        }
        if (!kind.isTextual() || kind.asText().isBlank()) {
            throw new InvalidJobException("'kind' must be a non-empty string, got " + describe(kind));
        }
        for (String field : new String[] {"payload", "params", "constraints"}) {
            JsonNode value = job.get(field);
            if (value != null && !value.isNull() && !value.isObject()) {
                throw new InvalidJobException("'" + field + "' must be a JSON object, got " + describe(value));
            }
        }
        for (String field : new String[] {"mission_id", "task_id"}) {
            JsonNode value = job.get(field);
            if (value != null && !value.isNull() && !value.isValueNode()) {
                throw new InvalidJobException("'" + field + "' must be a string, got " + describe(value));
            }
        }
        JsonNode priority = job.get("priority");
        if (priority != null && !priority.isNull() && !priority.isIntegralNumber()) {
            throw new InvalidJobException("'priority' must be a whole number, got " + describe(priority));
        }
        JsonNode id = job.get("job_id");
        String jobId;
        if (id == null || id.isNull()) {
            jobId = UUID.randomUUID().toString();
            job.put("job_id", jobId);
        } else if (!id.isTextual() || !JOB_ID.matcher(id.asText()).matches()) {
            throw new InvalidJobException("'job_id' must be a string of up to 128 letters, digits, '.', '_', ':' or '-'"
                    + " starting with a letter or digit, got " + describe(id));
        } else {
            jobId = id.asText();
        }
        return new IncomingJob(jobId, kind.asText(), job, replay);
    }

    static boolean isFileQueueDocument(ObjectNode document) {
        JsonNode payload = document.get("payload");
        return document.get("offgrid_request") instanceof ObjectNode
                || document.has("session_id") && payload != null && payload.path("response_format").asText().equals("lcp");
    }

    /** The job a file-queue document was made from: its merged args become the payload. */
    private static ObjectNode fromFileQueueDocument(ObjectNode queued) {
        ObjectNode job = Json.mapper().createObjectNode();
        job.set("job_id", queued.get("job_id"));
        job.set("kind", queued.get("kind"));
        JsonNode params = queued.path("payload").get("params");
        if (params != null) {
            job.set("payload", params);
        }
        JsonNode request = queued.path("offgrid_request");
        if (request.get("constraints") != null) {
            job.set("constraints", request.get("constraints"));
        }
        JsonNode meta = request.path("meta");
        job.set("mission_id", meta.get("mission_id"));
        job.set("task_id", meta.get("task_id"));
        return job;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number (" + node + ")";
            case BOOLEAN -> "a boolean (" + node + ")";
            case NULL -> "null";
            case STRING -> "\"" + abbreviate(node.asText()) + "\"";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
