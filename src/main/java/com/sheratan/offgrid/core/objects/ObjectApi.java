package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.storage.StorageHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The core's {@code /api/objects} and {@code /api/storage/repair} (SPEC 13): reads the key from the
 * path, checks it and the body's size, and answers what the {@link ObjectStore} did.
 */
public final class ObjectApi {
    static final String PREFIX = "/api/objects";

    private final ObjectStore store;
    private final long maxObjectBytes;

    ObjectApi(ObjectStore store, long maxObjectBytes) {
        this.store = store;
        this.maxObjectBytes = maxObjectBytes;
    }

    /** {@code PUT /api/objects/{key}}: 201 with the version, its scheme and where its shards went. */
    public void put(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String key = key(exchange);
        if (key == null) {
            return;
        }
        ByteBuffer content = bodyOf(message);
        if (content.remaining() > maxObjectBytes) {
            JsonAnswer.refuse(exchange, 413, "payload_too_large", "an object is at most " + maxObjectBytes
                    + " bytes (offgrid.storage.max-object-bytes)");
            return;
        }
        // a form type was handed on beside the body, which the server read as bytes (launch/BodyLimit)
        String sentAs = message.getHeader(StorageHeaders.SENT_CONTENT_TYPE, String.class);
        String contentType = sentAs != null ? sentAs
                : message.getHeader(Exchange.CONTENT_TYPE, "application/octet-stream", String.class);
        try {
            Manifest manifest = store.put(key, content, contentType);
            message.setBody(null);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("key", manifest.key());
            answer.put("version", manifest.version());
            answer.put("size", manifest.size());
            answer.put("sha256", manifest.sha256());
            answer.put("scheme", Map.of("k", manifest.k(), "m", manifest.m()));
            List<Map<String, Object>> shards = new ArrayList<>();
            for (Manifest.ShardPlace place : manifest.shards()) {
                Map<String, Object> shard = new LinkedHashMap<>();
                shard.put("index", place.index());
                shard.put("node_id", place.nodeId());
                shard.put("sha256", place.sha256());
                shards.add(shard);
            }
            answer.put("shards", shards);
            new JsonAnswer(201, answer).writeTo(message);
        } catch (StorageRefusal refusal) {
            refusal.answer().writeTo(message);
        }
    }

    /** {@code GET /api/objects/{key}} (the bytes) or {@code ?manifest=true}. */
    public void get(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = key(exchange);
        if (key == null) {
            return;
        }
        try {
            if ("true".equalsIgnoreCase(message.getHeader("manifest", String.class))) {
                JsonAnswer.ok(store.manifestWithHealth(key)).writeTo(message);
                return;
            }
            ObjectStore.Content content = store.get(key);
            message.getHeaders().clear();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setHeader(Exchange.CONTENT_TYPE, content.contentType());
            message.setHeader("X-Offgrid-Object-Version", content.manifest().version());
            message.setHeader("X-Offgrid-Content-Sha256", content.manifest().sha256());
            // a stream: platform-http sends it in chunks as it is decrypted, never the whole object at once
            message.setBody(content.stream());
        } catch (StorageRefusal refusal) {
            refusal.answer().writeTo(message);
        }
    }

    /** {@code GET /api/objects?prefix=}. */
    public void list(Exchange exchange) {
        String prefix = exchange.getMessage().getHeader("prefix", "", String.class);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Manifest manifest : store.list(prefix)) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("key", manifest.key());
            object.put("version", manifest.version());
            object.put("size", manifest.size());
            object.put("sha256", manifest.sha256());
            object.put("content_type", manifest.contentType());
            object.put("created_at", manifest.createdAt());
            object.put("scheme", Map.of("k", manifest.k(), "m", manifest.m()));
            objects.add(object);
        }
        JsonAnswer.ok(Map.of("objects", objects)).writeTo(exchange.getMessage());
    }

    /** {@code DELETE /api/objects/{key}}. */
    public void delete(Exchange exchange) throws IOException {
        String key = key(exchange);
        if (key == null) {
            return;
        }
        try {
            Manifest manifest = store.delete(key);
            JsonAnswer.ok(Map.of("key", key, "version", manifest.version(), "deleted", true)).writeTo(exchange.getMessage());
        } catch (StorageRefusal refusal) {
            refusal.answer().writeTo(exchange.getMessage());
        }
    }

    /** {@code POST /api/storage/repair}: one repair pass, now. */
    public void repair(Exchange exchange) {
        ObjectRepair.RepairReport report = store.repair();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("objects", report.objects());
        answer.put("shards_checked", report.shardsChecked());
        answer.put("repaired", report.repaired());
        answer.put("unrecoverable", report.unrecoverable());
        JsonAnswer.ok(answer).writeTo(exchange.getMessage());
    }

    /** The scrub timer's step: a repair pass whose report only the log sees. */
    public void scrub() {
        store.repair();
    }

    /**
     * The request body without copying it: a view of the Vert.x buffer platform-http read it into
     * (a 64 MiB object is then held once, not twice, while it is encrypted).
     */
    private static ByteBuffer bodyOf(Message message) {
        Object body = message.getBody();
        if (body instanceof io.vertx.core.buffer.Buffer buffer) {
            return buffer.getByteBuf().nioBuffer();
        }
        byte[] bytes = message.getBody(byte[].class);
        return ByteBuffer.wrap(bytes == null ? new byte[0] : bytes);
    }

    /** The key from the raw path, or null after answering 400 when it is not a valid key. */
    private static String key(Exchange exchange) {
        String path = rawPath(exchange);
        String key = path.startsWith(PREFIX + "/") ? path.substring(PREFIX.length() + 1) : "";
        String problem = ObjectKey.problem(key);
        if (problem != null) {
            JsonAnswer.refuse(exchange, 400, "invalid_key", problem);
            return null;
        }
        return key;
    }

    private static String rawPath(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
