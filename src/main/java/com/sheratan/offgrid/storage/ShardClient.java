package com.sheratan.offgrid.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * The caller's side of a host's {@code /shards} API (SPEC 13): every call signed for the host's path
 * and node id (the audience), asynchronous, bounded by a timeout. A call that got no answer has
 * status 0 and says why in {@code problem}.
 */
public final class ShardClient {
    private final HttpClient http;
    private final RequestSigner signer;
    private final Duration timeout;
    private final HttpResponse.BodyHandler<byte[]> bodies;

    /** What a host answered. {@code body}: the shard's bytes for a read, else JSON. */
    public record Answer(int status, byte[] body, String sha256, String problem) {
        public boolean answered() {
            return problem == null;
        }

        public JsonNode json() {
            try {
                return body == null || body.length == 0 ? Json.object() : Json.mapper().readTree(body);
            } catch (IOException e) {
                return Json.object();
            }
        }

        /** The host's {@code error} code, or what went wrong on the way. */
        public String reason() {
            if (!answered()) {
                return problem;
            }
            String error = json().path("error").asText("");
            return error.isEmpty() ? "HTTP " + status : error;
        }
    }

    /**
     * {@code largestShard}: the most bytes a shard may have (the largest object plus its tag); an
     * answer announcing more is read as parts instead of into an array of the announced size.
     */
    public ShardClient(RequestSigner signer, Duration timeout, SSLContext tls, long largestShard) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 5000)));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.signer = signer;
        this.timeout = timeout;
        this.bodies = SizedBody.handler(largestShard);
    }

    public CompletableFuture<Answer> put(String host, String nodeId, String shardId, byte[] content, String sha256) {
        return call("PUT", host, nodeId, "/shards/" + shardId, content, sha256);
    }

    public CompletableFuture<Answer> get(String host, String nodeId, String shardId) {
        return call("GET", host, nodeId, "/shards/" + shardId, null, null);
    }

    public CompletableFuture<Answer> verify(String host, String nodeId, String shardId) {
        return call("GET", host, nodeId, "/shards/" + shardId + "?verify=true", null, null);
    }

    public CompletableFuture<Answer> delete(String host, String nodeId, String shardId) {
        return call("DELETE", host, nodeId, "/shards/" + shardId, null, null);
    }

    public CompletableFuture<Answer> list(String host, String nodeId, String prefix) {
        return call("GET", host, nodeId, "/shards?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8), null, null);
    }

    private CompletableFuture<Answer> call(String method, String host, String nodeId, String pathWithQuery,
                                           byte[] body, String sha256) {
        URI uri = URI.create(host + pathWithQuery);
        String signedPath = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] bytes = body == null ? new byte[0] : body;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        // a shard's hash is known already: the signature reuses it instead of hashing the bytes again
        (sha256 != null ? signer.signHashed(method, signedPath, nodeId, sha256) : signer.sign(method, signedPath, nodeId, bytes))
                .asMap().forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/octet-stream");
            request.header(StorageHeaders.CONTENT_SHA256, sha256);
        }
        return http.sendAsync(request.build(), bodies)
                .thenApply(response -> new Answer(response.statusCode(), response.body(),
                        response.headers().firstValue(StorageHeaders.CONTENT_SHA256).orElse(null), null))
                .exceptionally(error -> new Answer(0, null, null, describe(error)));
    }

    /**
     * Reads a body whose Content-Length is given straight into one array of that size (a shard is
     * then held once while it arrives, not as parts plus their copy); without a length, or with one
     * over {@code largest} (not allocated on a host's word), as the JDK does.
     */
    private static final class SizedBody implements HttpResponse.BodySubscriber<byte[]> {
        static HttpResponse.BodyHandler<byte[]> handler(long largest) {
            long cap = Math.min(largest, Integer.MAX_VALUE - 8);
            return info -> {
                long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                return length < 0 || length > cap ? HttpResponse.BodySubscribers.ofByteArray() : new SizedBody((int) length);
            };
        }

        private final byte[] bytes;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private int at;

        private SizedBody(int length) {
            this.bytes = new byte[length];
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> parts) {
            for (java.nio.ByteBuffer part : parts) {
                int n = part.remaining();
                if (n > bytes.length - at) {
                    body.completeExceptionally(new IOException("the body is longer than its Content-Length"));
                    return;
                }
                part.get(bytes, at, n);
                at += n;
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (at != bytes.length) {
                body.completeExceptionally(new IOException("the body ended after " + at + " of its "
                        + bytes.length + " bytes"));
            } else {
                body.complete(bytes);
            }
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
