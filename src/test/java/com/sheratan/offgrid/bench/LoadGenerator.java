package com.sheratan.offgrid.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load generator: {@code clients} connections, each sending its next request as
 * soon as the previous answer arrived, for a fixed time. One event-loop thread, so the generator
 * takes at most one core from the mesh it measures.
 */
public final class LoadGenerator implements AutoCloseable {

    /** One request to send; a fresh one per call (unique job ids, nonces, signatures). */
    public record Request(HttpMethod method, String url, Map<String, String> headers, byte[] body) {
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));

    public LoadResult run(String name, int clients, double seconds, Supplier<Request> requests) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000).setIdleTimeout(30),
                new PoolOptions().setHttp1MaxSize(clients));
        long[] latencies = new long[4_000_000];
        long[] counters = new long[3]; // index, ok, failed — touched only on the event loop
        long endAt = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(clients);
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            vertx.runOnContext(v -> fire(client, requests, endAt, latencies, counters, done));
        }
        try {
            if (!done.await((long) seconds + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": requests still outstanding 120 s after the run ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            client.close();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int n = (int) Math.min(counters[0], latencies.length);
        return new LoadResult(name, clients, elapsed, counters[1], counters[2], java.util.Arrays.copyOf(latencies, n));
    }

    private void fire(HttpClient client, Supplier<Request> requests, long endAt, long[] latencies, long[] counters,
                      CountDownLatch done) {
        if (System.nanoTime() >= endAt) {
            done.countDown();
            return;
        }
        Request request = requests.get();
        URI uri = URI.create(request.url());
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setTimeout(60_000);
        request.headers().forEach(options::putHeader);
        long start = System.nanoTime();
        client.request(options)
                .compose(req -> request.body() == null ? req.send() : req.send(Buffer.buffer(request.body())))
                .compose(resp -> resp.body().map(body -> resp.statusCode()))
                .onComplete(result -> {
                    long latency = System.nanoTime() - start;
                    int index = (int) counters[0]++;
                    if (index < latencies.length) {
                        latencies[index] = latency;
                    }
                    if (result.succeeded() && result.result() >= 200 && result.result() < 300) {
                        counters[1]++;
                    } else {
                        counters[2]++;
                    }
                    fire(client, requests, endAt, latencies, counters, done);
                });
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
