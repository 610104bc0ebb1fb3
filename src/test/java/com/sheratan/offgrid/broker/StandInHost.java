package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import com.sheratan.offgrid.security.ReceiptSigner;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ReplayGuard;
import com.sheratan.offgrid.security.RequestVerifier;
import com.sheratan.offgrid.security.SignatureError;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/**
 * A small stand-in for a host (SPEC section 8) inside a test: a JDK HTTP server on 127.0.0.1 whose
 * quote, run answer and delays the test sets. It checks the broker's signature on {@code /run} like
 * a real host, and remembers what it was sent.
 */
final class StandInHost implements AutoCloseable {
    /** One HTTP answer: status and raw body. */
    record Reply(int status, String body) {
    }

    final String nodeId;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stand-in-host");
        t.setDaemon(true);
        return t;
    });
    private final RequestVerifier verifier;

    volatile double price = 0.1;
    /** Answer quotes with 422 UNSUPPORTED_KIND. */
    volatile boolean unsupported;
    /** Answer quotes with 503 host_inactive, as a host switched off since the broker's last health probe does. */
    volatile boolean inactive;
    /** Speak as older hosts do: no GET /status (404), the quote a string without host and node_id. */
    volatile boolean olderProtocol;
    volatile long quoteDelayMs;
    volatile long runDelayMs;
    /** While closed, every /run waits here: a host still working on its jobs, for as long as the test needs. */
    private volatile CountDownLatch runsHeld = new CountDownLatch(0);
    /** While closed, every /quote waits here: a host that hangs. */
    private volatile CountDownLatch quotesHeld = new CountDownLatch(0);
    volatile int statusCode = 200;
    /** Signs the receipts of runs that went fine; its key is what /announce gives. */
    volatile ReceiptSigner signer = newSigner();
    /** Changes the receipt before it is signed (a receipt that does not match the dispatch). */
    volatile UnaryOperator<Receipt> receiptEdit = r -> r;
    /** Breaks the receipt's signature after signing (a forged receipt). */
    volatile boolean forgeReceipts;
    /** Leaves the receipt out of the answer (an older host). */
    volatile boolean noReceipt;
    /** What /run answers (after a good signature); by default the job ran fine. */
    volatile Function<JsonNode, Reply> runAnswer = this::ranFine;

    final AtomicInteger quotes = new AtomicInteger();
    final List<JsonNode> runBodies = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> runHeaders = new CopyOnWriteArrayList<>();
    final List<String> quoteQueries = new CopyOnWriteArrayList<>();
    final List<SignatureError> refusedSignatures = new CopyOnWriteArrayList<>();

    private StandInHost(String nodeId, AuthKeys keys) throws IOException {
        this.nodeId = nodeId;
        this.verifier = new RequestVerifier(keys, nodeId, new ReplayGuard(600), Clock.systemUTC());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(threads);
        server.createContext("/quote", this::quote);
        server.createContext("/run", this::run);
        server.createContext("/status", this::status);
        server.createContext("/announce", this::announce);
        server.start();
    }

    static StandInHost start(String nodeId) {
        return start(nodeId, AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default"));
    }

    static StandInHost start(String nodeId, AuthKeys keys) {
        try {
            return new StandInHost(nodeId, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int runs() {
        return runBodies.size();
    }

    private void quote(HttpExchange exchange) throws IOException {
        quotes.incrementAndGet();
        quoteQueries.add(exchange.getRequestURI().getRawQuery());
        pause(quoteDelayMs);
        awaitRelease(quotesHeld);
        if (unsupported) {
            send(exchange, new Reply(422, "{\"error\":\"UNSUPPORTED_KIND\"}"));
            return;
        }
        if (inactive) {
            send(exchange, new Reply(503, "{\"error\":\"host_inactive\",\"node_id\":\"" + nodeId + "\"}"));
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI());
        ObjectNode body = Json.mapper().createObjectNode();
        if (olderProtocol) {
            body.put("quote", String.valueOf(price));
        } else {
            body.put("quote", price);
            body.put("host", url());
            body.put("node_id", nodeId);
        }
        body.put("type", query.get("type"));
        body.put("size", Double.parseDouble(query.getOrDefault("size", "0")));
        body.put("kind", query.get("kind"));
        send(exchange, new Reply(200, body.toString()));
    }

    private void run(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        Optional<SignatureError> refused = verifier.verify("POST", path,
                name -> exchange.getRequestHeaders().getFirst(name), body);
        if (refused.isPresent()) {
            refusedSignatures.add(refused.get());
            send(exchange, new Reply(401, "{\"error\":\"" + refused.get().code() + "\"}"));
            return;
        }
        JsonNode json = Json.mapper().readTree(body);
        runBodies.add(json);
        runHeaders.add(Map.of("X-Request-Id", String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Id"))));
        pause(runDelayMs);
        awaitRelease(runsHeld);
        send(exchange, runAnswer.apply(json));
    }

    private void status(HttpExchange exchange) throws IOException {
        if (olderProtocol) {
            send(exchange, new Reply(404, "no such page"));
            return;
        }
        send(exchange, new Reply(statusCode, "{\"status\":\"ok\",\"node_id\":\"" + nodeId + "\",\"active\":true}"));
    }

    static ReceiptSigner newSigner() {
        try {
            return new ReceiptSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void announce(HttpExchange exchange) throws IOException {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("node_id", nodeId);
        body.put("active", true);
        body.put("verify_key", signer.verifyKey());
        send(exchange, new Reply(200, body.toString()));
    }

    /** The host's signed receipt for a run, as a real host makes it (SPEC section 8). */
    JsonNode receipt(JsonNode run) {
        JsonNode job = run.path("job");
        Receipt unsigned = receiptEdit.apply(new Receipt(Receipt.VERSION, nodeId, run.path("job_id").asText(),
                job.path("attempt_id").asText(null), job.path("kind").asText(null), 0.1, price, 1L, 2L,
                "00".repeat(32), java.util.UUID.randomUUID().toString(), null, null, null));
        ObjectNode receipt = Json.mapper().valueToTree(signer.sign(unsigned));
        if (forgeReceipts) {
            String sig = receipt.get("sig").asText();
            receipt.put("sig", (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
        }
        return receipt;
    }

    Reply ranFine(JsonNode run) {
        ObjectNode answer = Json.mapper().createObjectNode();
        answer.put("ok", true);
        answer.put("job_id", run.path("job_id").asText());
        answer.put("node_id", nodeId);
        answer.put("output", "ran on " + nodeId);
        answer.putObject("result").put("ok", true).put("text", "ran on " + nodeId).put("tokens", 3);
        if (!noReceipt) {
            answer.set("receipt", receipt(run));
        }
        return new Reply(200, answer.toString());
    }

    static Reply failed(int status, String code) {
        return new Reply(status, "{\"ok\":false,\"error_code\":\"" + code + "\",\"error\":\"stand-in says " + code + "\"}");
    }

    /** From now on every /run is held (after it is counted) until {@link #releaseRuns()}. */
    void holdRuns() {
        runsHeld = new CountDownLatch(1);
    }

    void releaseRuns() {
        runsHeld.countDown();
    }

    /** From now on every /quote is held (after it is counted) until {@link #releaseQuotes()}. */
    void holdQuotes() {
        quotesHeld = new CountDownLatch(1);
    }

    void releaseQuotes() {
        quotesHeld.countDown();
    }

    private static void awaitRelease(CountDownLatch held) {
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new java.util.HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        releaseRuns();
        releaseQuotes();
        server.stop(0);
        threads.shutdownNow();
    }
}
