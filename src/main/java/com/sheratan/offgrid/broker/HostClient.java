package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker's side of the host API (SPEC section 8) over one shared, asynchronous JDK
 * {@link HttpClient}: quotes and health probes are sent in parallel without a thread each, and
 * every call is bounded by its timeout (the future completes, whatever the host does).
 */
public final class HostClient {
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
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(quoteTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(new ThreadFactory() {
                    private final AtomicInteger count = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable task) {
                        Thread thread = new Thread(task, "broker-host-client-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }
                }))
                .build();
    }

    /** What a host answered: its HTTP status and body as JSON (null when not JSON), or why there is no answer. */
    public record Answer(int status, JsonNode json, String problem) {
        /** What a host switched off answers to a quote or a run: 503 {@code {"error":"host_inactive"}}. */
        public static final String INACTIVE = "host_inactive";

        public boolean answered() {
            return problem == null;
        }

        /** The host says it is switched off: to be skipped as inactive, which is not its failure. */
        public boolean hostInactive() {
            return status == 503 && json != null && INACTIVE.equals(json.path("error").asText());
        }
    }

    public CompletableFuture<Answer> quote(String host, String type, double size, String kind) {
        String query = "type=" + encode(type) + "&size=" + BigDecimal.valueOf(size).toPlainString()
                + "&kind=" + encode(kind);
        HttpRequest request = HttpRequest.newBuilder(URI.create(host + "/quote?" + query))
                .timeout(quoteTimeout).GET().build();
        return exchange(request, quoteTimeout);
    }

    public CompletableFuture<Answer> status(String host) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(host + "/status")).timeout(healthTimeout).GET().build();
        return exchange(request, healthTimeout);
    }

    /** {@code POST {host}/run}, signed for the path of that URL (a host behind a path prefix included). */
    public CompletableFuture<Answer> run(String host, byte[] body, String requestId) {
        URI uri = URI.create(host + "/run");
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(runTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestId != null) {
            builder.header("X-Request-Id", requestId);
        }
        signer.sign("POST", uri.getRawPath(), body).asMap().forEach(builder::header);
        return exchange(builder.build(), runTimeout);
    }

    private CompletableFuture<Answer> exchange(HttpRequest request, Duration timeout) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> error == null
                        ? new Answer(response.statusCode(), parse(response.body()), null)
                        : new Answer(0, null, describe(error, timeout)));
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
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
