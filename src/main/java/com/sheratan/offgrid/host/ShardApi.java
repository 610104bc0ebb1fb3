package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.storage.ShardId;
import com.sheratan.offgrid.storage.StorageHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Body;
import com.sheratan.offgrid.security.VerifySignedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The host's {@code /shards} API (SPEC 13) over its {@link ShardStore}: each method answers one call
 * (the signature is checked before, by the route). A read answers {@link ShardContent}, which
 * {@link #process} writes as raw bytes; everything else is a {@link JsonAnswer}.
 */
public final class ShardApi implements Processor {
    private static final Logger LOG = EscapingLogger.of(ShardApi.class);

    /** A shard's bytes as they go back to the caller, with their SHA-256. */
    public record ShardContent(String sha256, byte[] content) {
    }

    private final ShardStore store;

    public ShardApi(ShardStore store) {
        this.store = store;
    }

    /** {@code PUT /shards/{shard_id}} with {@code X-Offgrid-Content-Sha256}. */
    public JsonAnswer put(@Header("shard_id") String shardId, @Header(StorageHeaders.CONTENT_SHA256) String sha256,
                          @Body byte[] content,
                          @ExchangeProperty(VerifySignedRequest.BODY_SHA256) String bodySha256) throws IOException {
        if (!ShardId.isValid(shardId)) {
            return badId(shardId);
        }
        String expected = sha256 == null ? "" : sha256.strip().toLowerCase(Locale.ROOT);
        if (!expected.matches("[0-9a-f]{64}")) {
            return JsonAnswer.error(400, "hash_mismatch", "header " + StorageHeaders.CONTENT_SHA256
                    + " must be the lowercase hex SHA-256 of the body");
        }
        byte[] bytes = content == null ? new byte[0] : content;
        return switch (store.put(shardId, expected, bytes, bodySha256)) {
            case CREATED -> new JsonAnswer(201, stored(shardId, bytes.length, expected));
            case SAME_BYTES -> JsonAnswer.ok(stored(shardId, bytes.length, expected));
            case EXISTS_DIFFERENT -> JsonAnswer.error(409, "shard_exists",
                    "shard " + shardId + " is already stored with other bytes; shards are never overwritten");
            case HASH_MISMATCH -> JsonAnswer.error(400, "hash_mismatch",
                    "the body does not hash to " + StorageHeaders.CONTENT_SHA256 + "; nothing was stored");
            case NO_SPACE -> {
                LOG.warn("shard {} ({} bytes) refused: {} of {} bytes of storage are used (offgrid.host.storage-capacity-mb)",
                        shardId, bytes.length, store.usedBytes(), store.capacityBytes());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "insufficient_storage");
                body.put("free_bytes", store.freeBytes());
                body.put("detail", "the shard needs " + bytes.length + " bytes; this host has " + store.freeBytes() + " free");
                yield new JsonAnswer(507, body);
            }
        };
    }

    /** {@code GET /shards/{shard_id}} (the bytes) or with {@code ?verify=true} (only the check). */
    public Object read(@Header("shard_id") String shardId, @Header("verify") String verify) throws IOException {
        if (!ShardId.isValid(shardId)) {
            return badId(shardId);
        }
        Optional<ShardStore.Read> read = store.read(shardId);
        if (read.isEmpty()) {
            return unknown(shardId);
        }
        if (read.get().corrupt()) {
            return JsonAnswer.error(410, "shard_corrupt", "shard " + shardId
                    + " no longer matches the SHA-256 recorded when it was written; it was moved aside");
        }
        ShardStore.Shard shard = read.get().shard();
        if ("true".equalsIgnoreCase(verify)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", true);
            body.put("sha256", shard.sha256());
            body.put("bytes", shard.bytes());
            return JsonAnswer.ok(body);
        }
        return new ShardContent(shard.sha256(), read.get().content());
    }

    /** {@code DELETE /shards/{shard_id}}. */
    public JsonAnswer delete(@Header("shard_id") String shardId) throws IOException {
        if (!ShardId.isValid(shardId)) {
            return badId(shardId);
        }
        return store.delete(shardId) ? JsonAnswer.ok(Map.of("ok", true, "shard_id", shardId)) : unknown(shardId);
    }

    /** {@code GET /shards?prefix=}. */
    public JsonAnswer list(@Header("prefix") String prefix) {
        List<Map<String, Object>> shards = store.list(prefix == null ? "" : prefix).stream()
                .map(s -> Map.<String, Object>of("shard_id", s.shardId(), "bytes", s.bytes(), "sha256", s.sha256())).toList();
        return JsonAnswer.ok(Map.of("shards", shards));
    }

    /** Writes a read's bytes ({@code application/octet-stream} with their hash), or the JSON answer. */
    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof ShardContent shard) {
            Object requestId = message.getHeader("X-Request-Id");
            message.getHeaders().clear();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setHeader(Exchange.CONTENT_TYPE, "application/octet-stream");
            message.setHeader(StorageHeaders.CONTENT_SHA256, shard.sha256());
            if (requestId != null) {
                message.setHeader("X-Request-Id", requestId);
            }
            message.setBody(ByteBuffer.wrap(shard.content()));
        } else {
            (body instanceof JsonAnswer answer ? answer : JsonAnswer.ok(body)).writeTo(message);
        }
    }

    private static Map<String, Object> stored(String shardId, long bytes, String sha256) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("shard_id", shardId);
        body.put("bytes", bytes);
        body.put("sha256", sha256);
        return body;
    }

    private static JsonAnswer unknown(String shardId) {
        return JsonAnswer.error(404, "unknown_shard", "this host holds no shard " + shardId);
    }

    private static JsonAnswer badId(String shardId) {
        return JsonAnswer.error(400, "invalid_shard_id", "a shard id is 16-128 characters of A-Z a-z 0-9 _ -");
    }
}
