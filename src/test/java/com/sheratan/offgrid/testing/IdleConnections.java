package com.sheratan.offgrid.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection flood: sockets opened to one server that send nothing (or, with {@link #trickle},
 * one byte of a request head at a time). A well-defended server closes them itself; {@link #stillOpen}
 * counts those it has not closed yet.
 */
public final class IdleConnections implements AutoCloseable {
    private static final byte[] HEAD = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    private final List<Socket> sockets = new ArrayList<>();
    private final int[] trickled;

    private IdleConnections(int count) {
        trickled = new int[count];
    }

    /** Opens {@code count} connections to the server at {@code baseUrl} (http://host:port). */
    public static IdleConnections open(String baseUrl, int count) throws IOException {
        URI uri = URI.create(baseUrl);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        IdleConnections flood = new IdleConnections(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                flood.sockets.add(socket);
                socket.connect(address, 5_000);
            }
        } catch (IOException e) {
            flood.close();
            throw e;
        }
        return flood;
    }

    public int size() {
        return sockets.size();
    }

    /** One more byte of a request head to each of the first {@code count} connections (the server never gets a whole one). */
    public void trickle(int count) {
        for (int i = 0; i < Math.min(count, sockets.size()); i++) {
            try {
                sockets.get(i).getOutputStream().write(HEAD[trickled[i]++ % HEAD.length]);
            } catch (IOException closed) {
                // the server closed it: what a flood should meet
            }
        }
    }

    /** Connections the server has not closed yet (a read that times out means open). */
    public int stillOpen() {
        int open = 0;
        for (Socket socket : sockets) {
            if (!socket.isInputShutdown() && !closedByPeer(socket)) {
                open++;
            }
        }
        return open;
    }

    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                if (in.read(buffer) < 0) {
                    socket.shutdownInput();
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    /** {@code GET /status} on a connection of its own (the flood's neighbour): the answer's status code. */
    public static int statusOverFreshConnection(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
        }
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a flood socket that is already gone
            }
        }
    }
}
