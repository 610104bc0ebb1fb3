package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.RequestSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's HTTP client to hosts: what it re-sends and what it never does. A scripted host on a
 * raw loopback socket answers, drops the connection after reading a request, or stays silent, so
 * the test sees every request that reached the host.
 */
class HostClientTest {
    private static final Duration QUOTE_TIMEOUT = Duration.ofMillis(400);
    private static final int MAX_ANSWER_BYTES = 4096;

    private final ScriptedHost host = new ScriptedHost();
    private final HostClient client = new HostClient(
            new RequestSigner(AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default")),
            QUOTE_TIMEOUT, Duration.ofSeconds(2), QUOTE_TIMEOUT, MAX_ANSWER_BYTES);

    @BeforeEach
    void start() {
        client.start();
    }

    @AfterEach
    void close() throws Exception {
        client.stop();
        host.close();
    }

    @Test
    void aQuoteWhoseConnectionIsDroppedBeforeAnAnswerIsAskedOnceMore() throws Exception {
        host.script(Step.DROP, Step.answer(200, "{\"quote\":0.25,\"node_id\":\"h\"}"));

        HostClient.Answer answer = client.quote(host.url(), "compute", 1, "echo").get();

        assertNull(answer.problem());
        assertEquals(200, answer.status());
        assertEquals(0.25, answer.json().get("quote").asDouble());
        assertEquals(2, host.requests().size());
    }

    @Test
    void aRunWhoseConnectionIsDroppedIsNotSentAgainByTheClient() throws Exception {
        host.script(Step.DROP, Step.answer(200, "{\"ok\":true}"));

        HostClient.Answer answer = client.run(host.url(), "host-a", "{\"job_id\":\"j1\"}".getBytes(StandardCharsets.UTF_8), "r1").get();

        assertFalse(answer.answered(), "a dropped run is the broker's to fail over, not the client's to re-send");
        assertEquals(1, host.requests().size());
        assertTrue(host.requests().get(0).startsWith("POST /run "));
    }

    @Test
    void aRunAfterTheHostClosedAnIdleConnectionGoesOutOnAFreshOne() throws Exception {
        host.script(Step.answerAndClose(200, "{\"quote\":0.1}"), Step.answer(200, "{\"ok\":true}"));
        assertEquals(200, client.quote(host.url(), "compute", 1, "echo").get().status());
        // the client saw the host's close and closed its end: the connection is out of its pool
        assertTrue(host.closedByTheClient.await(10, TimeUnit.SECONDS), "the client never closed its end");

        HostClient.Answer answer = client.run(host.url(), "host-a", "{\"job_id\":\"j1\"}".getBytes(StandardCharsets.UTF_8), "r1").get();

        assertNull(answer.problem());
        assertEquals(200, answer.status());
        assertEquals(2, host.requests().size());
    }

    @Test
    void anAnswerWithAnErrorStatusIsTakenAsItIsAndNeverRetried() throws Exception {
        host.script(Step.answer(503, "{\"error\":\"host_inactive\"}"), Step.answer(200, "{\"quote\":0.1}"));

        HostClient.Answer answer = client.quote(host.url(), "compute", 1, "echo").get();

        assertTrue(answer.hostInactive());
        assertEquals(1, host.requests().size());
    }

    @Test
    void aSilentHostGivesNoAnswerWithinTheCallsTimeout() throws Exception {
        host.script(Step.SILENT);

        HostClient.Answer answer = client.quote(host.url(), "compute", 1, "echo").get();

        assertEquals("no answer within " + QUOTE_TIMEOUT.toMillis() + " ms", answer.problem());
        assertEquals(1, host.requests().size(), "a timed-out quote is not asked again");
    }

    @Test
    void aHostNobodyListensOnIsConnectionRefused() throws Exception {
        String url = host.url();
        host.close();

        HostClient.Answer answer = client.quote(url, "compute", 1, "echo").get();

        assertEquals("connection refused", answer.problem());
    }

    @Test
    void anAnswerOverTheSizeLimitIsNoAnswerAndIsNotAskedForAgain() throws Exception {
        String big = "{\"quote\":0.1,\"pad\":\"" + "x".repeat(MAX_ANSWER_BYTES) + "\"}";
        host.script(Step.answer(200, big), Step.answer(200, big));

        HostClient.Answer quote = client.quote(host.url(), "compute", 1, "echo").get();
        HostClient.Answer run = client.run(host.url(), "host-a", "{\"job_id\":\"j1\"}".getBytes(StandardCharsets.UTF_8), "r1").get();

        String reason = "answer larger than " + MAX_ANSWER_BYTES + " bytes (offgrid.broker.max-answer-bytes)";
        assertEquals(reason, quote.problem());
        assertEquals(reason, run.problem());
        assertEquals(2, host.requests().size(), "one quote and one run reached the host, neither was re-sent");
    }

    @Test
    void anAnswerJustUnderTheSizeLimitIsReadWhole() throws Exception {
        String prefix = "{\"quote\":0.1,\"pad\":\"";
        String fits = prefix + "x".repeat(MAX_ANSWER_BYTES - prefix.length() - 2) + "\"}";
        host.script(Step.answer(200, fits));

        HostClient.Answer answer = client.quote(host.url(), "compute", 1, "echo").get();

        assertNull(answer.problem());
        assertEquals(MAX_ANSWER_BYTES - prefix.length() - 2, answer.json().get("pad").asText().length());
    }

    /** What the scripted host does with the next request it reads. */
    private record Step(String kind, int status, String body) {
        static final Step DROP = new Step("drop", 0, null);
        static final Step SILENT = new Step("silent", 0, null);

        static Step answer(int status, String body) {
            return new Step("answer", status, body);
        }

        /** Answers, then closes the connection the client keeps alive (as a host that restarts does). */
        static Step answerAndClose(int status, String body) {
            return new Step("answer-and-close", status, body);
        }
    }

    /** A loopback HTTP/1.1 server that follows a script, one step per request, and keeps every request line. */
    private static final class ScriptedHost implements AutoCloseable {
        private final ServerSocket server;
        private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> silent = new CopyOnWriteArrayList<>();
        /** Counts down when a client closes its end of a connection this host had closed after answering. */
        final CountDownLatch closedByTheClient = new CountDownLatch(1);

        ScriptedHost() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(this::accept, "scripted-host");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        void script(Step... next) {
            steps.addAll(List.of(next));
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        List<String> requests() {
            return requests;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> serve(socket), "scripted-host-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String requestLine = in.readLine();
                    if (requestLine == null) {
                        return;
                    }
                    int length = 0;
                    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                        if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(header.substring("content-length:".length()).strip());
                        }
                    }
                    in.skip(length);
                    requests.add(requestLine);
                    Step step = steps.poll();
                    if (step == null || step == Step.DROP) {
                        return;
                    }
                    if (step == Step.SILENT) {
                        silent.add(socket);
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    byte[] body = step.body().getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 " + step.status() + " X\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    if (step.kind().equals("answer-and-close")) {
                        socket.shutdownOutput();
                        while (in.read() != -1) {
                            // nothing more comes on a connection the host closed; -1 is the client closing its end
                        }
                        closedByTheClient.countDown();
                        return;
                    }
                }
            } catch (SocketException | InterruptedException e) {
                // closed by the test
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }
}
