package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.ByteArrayBuffer;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The broker's side of the host API (SPEC section 8) over one shared, asynchronous Apache
 * HttpClient 5: quotes and health probes are sent in parallel without a thread each, and every call
 * is bounded by its timeout (the future completes, whatever the host does).
 *
 * <p>Why this client: measured against a host's {@code GET /status}, the JDK's {@code HttpClient}
 * spent about 1 ms of CPU per request on its own side (its selector thread and executor hand-offs),
 * this one about 0.1 ms — and an auction makes three host calls (docs/benchmarks.md, "Why the code is as it is").
 * It never re-sends a request answered with a status (a 503 {@code host_inactive} is an answer) or
 * one that timed out, and re-sends a {@code GET} once, at once, only when its connection closed
 * before an answer (a kept-alive connection the host had dropped); a {@code POST /run} is never
 * re-sent by the client (failover decides). An answer is read into memory only up to
 * {@code offgrid.broker.max-answer-bytes}: a larger one ends the call as not answered, with that
 * reason, so a broken host cannot fill the broker's heap.
 */
public final class HostClient extends ServiceSupport {
    private static final ContentType JSON = ContentType.create("application/json");
    /** More than any broker's concurrent auctions ask of one host; a call waits for a connection only within its timeout. */
    private static final int CONNECTIONS_PER_HOST = 512;

    private final CloseableHttpAsyncClient http;
    private final RequestSigner signer;
    private final Duration quoteTimeout;
    private final Duration runTimeout;
    private final Duration healthTimeout;
    private final int maxAnswerBytes;

    public HostClient(RequestSigner signer, Duration quoteTimeout, Duration runTimeout, Duration healthTimeout,
                      int maxAnswerBytes) {
        this(signer, quoteTimeout, runTimeout, healthTimeout, maxAnswerBytes, null);
    }

    /**
     * {@code trust}: for {@code https://} hosts, the TLS context that holds the CA the hosts' certificates
     * must chain to ({@code offgrid.tls.ca-file}); the host name is checked against the certificate too.
     * Null: the JVM's default CAs.
     */
    public HostClient(RequestSigner signer, Duration quoteTimeout, Duration runTimeout, Duration healthTimeout,
                      int maxAnswerBytes, SSLContext trust) {
        this.signer = signer;
        this.maxAnswerBytes = maxAnswerBytes;
        this.quoteTimeout = quoteTimeout;
        this.runTimeout = runTimeout;
        this.healthTimeout = healthTimeout;
        this.http = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(CONNECTIONS_PER_HOST)
                        .setMaxConnTotal(CONNECTIONS_PER_HOST * 8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(quoteTimeout))
                                .build())
                        .setTlsStrategy(trust == null ? ClientTlsStrategyBuilder.create().useSystemProperties().build()
                                : ClientTlsStrategyBuilder.create().setSslContext(trust).build())
                        // the hosts' server speaks HTTP/1.1; TLS does not change that
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                        .setTcpNoDelay(true)
                        .build())
                .setThreadFactory(new DefaultThreadFactory("broker-host-client", true))
                .setRetryStrategy(new StaleConnectionRetry())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .setUserAgent("sheratan-offgrid-broker")
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /**
     * Re-sends a GET once when its connection failed before an answer (a kept-alive connection the
     * host had closed); never on a timeout, a refused connection or any HTTP status.
     */
    private static final class StaleConnectionRetry extends DefaultHttpRequestRetryStrategy {
        StaleConnectionRetry() {
            super(1, TimeValue.ZERO_MILLISECONDS, List.of(InterruptedIOException.class, UnknownHostException.class,
                    ConnectException.class, NoRouteToHostException.class, AnswerTooLarge.class), List.of());
        }
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
        return exchange(SimpleRequestBuilder.get(URI.create(host + "/quote?" + query)).build(), quoteTimeout);
    }

    /** {@code GET {host}/announce}: the host's node id, kinds, prices and receipt {@code verify_key}. */
    public CompletableFuture<Answer> announce(String host) {
        return exchange(SimpleRequestBuilder.get(URI.create(host + "/announce")).build(), quoteTimeout);
    }

    public CompletableFuture<Answer> status(String host) {
        return exchange(SimpleRequestBuilder.get(URI.create(host + "/status")).build(), healthTimeout);
    }

    /**
     * {@code POST {host}/run}, signed for the path of that URL (a host behind a path prefix included) and
     * for {@code nodeId}, the host's node id (the audience: only that host accepts the request).
     */
    public CompletableFuture<Answer> run(String host, String nodeId, byte[] body, String requestId) {
        URI uri = URI.create(host + "/run");
        SimpleRequestBuilder builder = SimpleRequestBuilder.post(uri).setBody(body, JSON);
        if (requestId != null) {
            builder.addHeader("X-Request-Id", requestId);
        }
        signer.sign("POST", uri.getRawPath(), nodeId, body).asMap().forEach(builder::addHeader);
        return exchange(builder.build(), runTimeout);
    }

    private CompletableFuture<Answer> exchange(SimpleHttpRequest request, Duration timeout) {
        Timeout bound = Timeout.of(timeout);
        request.setConfig(RequestConfig.custom().setConnectionRequestTimeout(bound).setResponseTimeout(bound).build());
        CompletableFuture<Message<HttpResponse, byte[]>> answer = new CompletableFuture<>();
        Future<Message<HttpResponse, byte[]>> call = http.execute(SimpleRequestProducer.create(request),
                new BasicResponseConsumer<>(new BoundedBody(maxAnswerBytes)), new FutureCallback<>() {
            @Override
            public void completed(Message<HttpResponse, byte[]> response) {
                answer.complete(response);
            }

            @Override
            public void failed(Exception error) {
                answer.completeExceptionally(error);
            }

            @Override
            public void cancelled() {
                answer.cancel(false);
            }
        });
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        call.cancel(true); // a call given up on gives its connection back
                        return new Answer(0, null, describe(error, timeout));
                    }
                    return new Answer(response.getHead().getCode(), parse(response.getBody()), null);
                });
    }

    @Override
    protected void doStart() {
        http.start();
    }

    @Override
    protected void doStop() {
        http.close(CloseMode.GRACEFUL);
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
        if (cause instanceof TimeoutException || cause instanceof InterruptedIOException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof AnswerTooLarge) {
            return cause.getMessage();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** A host's answer body, held in memory up to a limit; one byte more fails the call. */
    private static final class BoundedBody extends AbstractBinAsyncEntityConsumer<byte[]> {
        private final int limit;
        private final ByteArrayBuffer buffer = new ByteArrayBuffer(1024);

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        protected void streamStart(ContentType contentType) {
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws AnswerTooLarge {
            if ((long) buffer.length() + src.remaining() > limit) {
                throw new AnswerTooLarge(limit);
            }
            buffer.append(src);
        }

        @Override
        protected byte[] generateContent() {
            return buffer.toByteArray();
        }

        @Override
        public void releaseResources() {
            buffer.clear();
        }
    }

    /** A host answered with more than {@code offgrid.broker.max-answer-bytes}; never re-sent. */
    static final class AnswerTooLarge extends IOException {
        AnswerTooLarge(int limit) {
            super("answer larger than " + limit + " bytes (offgrid.broker.max-answer-bytes)");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
