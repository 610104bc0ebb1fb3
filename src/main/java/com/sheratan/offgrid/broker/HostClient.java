package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Service;

/**
 * The broker's side of the host API (SPEC section 8) over one shared, non-blocking Vert.x HTTP
 * client (two event-loop threads, keep-alive connections per host): quotes and health probes are
 * sent in parallel without a thread each, and every call is bounded by its timeout (the future
 * completes, whatever the host does). Vert.x replaced the JDK client, which spent about a tenth
 * of the mesh's CPU in its own executor and selector threads (docs/benchmarks.md).
 */
public final class HostClient implements Service {
    private final Vertx vertx;
    private final HttpClient http;
    private final RequestSigner signer;
    private final Duration quoteTimeout;
    private final Duration runTimeout;
    private final Duration healthTimeout;

    public HostClient(RequestSigner signer, Duration quoteTimeout, Duration runTimeout, Duration healthTimeout) {
        this.signer = signer;
        this.quoteTimeout = quoteTimeout;
        this.runTimeout = runTimeout;
        this.healthTimeout = healthTimeout;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                .setBlockedThreadCheckInterval(10_000));
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout((int) quoteTimeout.toMillis())
                        .setIdleTimeout(60)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS),
                new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
    }

    /** What a host answered: its HTTP status and body as JSON (null when not JSON), or why there is no answer. */
    public record Answer(int status, JsonNode json, String problem) {
        public boolean answered() {
            return problem == null;
        }
    }

    public CompletableFuture<Answer> quote(String host, String type, double size, String kind) {
        String query = "type=" + encode(type) + "&size=" + BigDecimal.valueOf(size).toPlainString()
                + "&kind=" + encode(kind);
        return exchange(HttpMethod.GET, URI.create(host + "/quote?" + query), null, null, quoteTimeout);
    }

    public CompletableFuture<Answer> status(String host) {
        return exchange(HttpMethod.GET, URI.create(host + "/status"), null, null, healthTimeout);
    }

    /** {@code POST {host}/run}, signed for the path of that URL (a host behind a path prefix included). */
    public CompletableFuture<Answer> run(String host, byte[] body, String requestId) {
        URI uri = URI.create(host + "/run");
        RequestOptions options = new RequestOptions().putHeader("Content-Type", "application/json");
        if (requestId != null) {
            options.putHeader("X-Request-Id", requestId);
        }
        signer.sign("POST", uri.getRawPath(), body).asMap().forEach(options::putHeader);
        return exchange(HttpMethod.POST, uri, options, body, runTimeout);
    }

    private CompletableFuture<Answer> exchange(HttpMethod method, URI uri, RequestOptions given, byte[] body,
                                               Duration timeout) {
        RequestOptions options = (given == null ? new RequestOptions() : given)
                .setMethod(method)
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80)
                .setSsl("https".equals(uri.getScheme()))
                .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setTimeout(timeout.toMillis());
        Future<Answer> answer = http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(),
                        parse(bytes.getBytes()), null)));
        return answer.toCompletionStage().toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> error == null ? result : new Answer(0, null, describe(error, timeout)));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Throwable error, Duration timeout) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
                || cause instanceof java.util.concurrent.TimeoutException
                || String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")
                || String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException || String.valueOf(cause.getMessage()).contains("Connection refused")) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        // the client is ready once built
    }

    @Override
    public void stop() {
        http.close();
        vertx.close();
    }
}
