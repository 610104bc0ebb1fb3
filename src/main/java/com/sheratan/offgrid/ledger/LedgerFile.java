package com.sheratan.offgrid.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One append-only JSON-lines file of the ledger (the entries, or the checkpoints). Lines are only
 * ever added at the end, never rewritten. {@link #append} writes a line; {@link #awaitDurable} returns
 * once it is fsynced, and one fsync serves every line written before it (group commit): the callers
 * waiting together share it. Line starts are kept, so any line is read back by its index.
 */
final class LedgerFile implements LedgerLog {
    private static final byte NEWLINE = '\n';

    private final Path path;
    private final FileChannel channel;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Object writeLock = new Object();
    /** offsets[i] = where line i starts; offsets[lines] = the end of the last complete line */
    private long[] offsets = new long[1024];
    private int lines;
    private volatile int durable;
    private final long tornBytes;

    private LedgerFile(Path path, FileChannel channel, long[] offsets, int lines, long tornBytes) {
        this.path = path;
        this.channel = channel;
        this.offsets = offsets;
        this.lines = lines;
        this.durable = lines;
        this.tornBytes = tornBytes;
    }

    /**
     * Opens (or creates) the file and hands every complete line, in order, to {@code eachLine}. Bytes
     * after the last newline (a write cut short by a crash) are left in place: see {@link #cutTornTail()}.
     */
    static LedgerFile open(Path path, Consumer<byte[]> eachLine) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long[] offsets = new long[1024];
            int lines = 0;
            ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long position = 0;
            long lineStart = 0;
            while (channel.read(buffer, position) > 0) {
                buffer.flip();
                byte[] chunk = buffer.array();
                int from = 0;
                int limit = buffer.limit();
                for (int i = 0; i < limit; i++) {
                    if (chunk[i] == NEWLINE) {
                        line.write(chunk, from, i - from);
                        if (lines + 1 >= offsets.length) {
                            offsets = Arrays.copyOf(offsets, offsets.length * 2);
                        }
                        offsets[lines] = lineStart;
                        lines++;
                        lineStart = position + i + 1;
                        offsets[lines] = lineStart;
                        eachLine.accept(line.toByteArray());
                        line.reset();
                        from = i + 1;
                    }
                }
                line.write(chunk, from, limit - from);
                position += limit;
                buffer.clear();
            }
            return new LedgerFile(path, channel, offsets, lines, position - lineStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String where() {
        return path.toString();
    }

    Path path() {
        return path;
    }

    /** Bytes after the last complete line when the file was opened (0 when it ended with a newline). */
    @Override
    public long tornBytes() {
        return tornBytes;
    }

    /** Cuts the torn tail off, so the next line starts after the last complete one. */
    @Override
    public void cutTornTail() throws IOException {
        synchronized (writeLock) {
            if (channel.size() > offsets[lines]) {
                channel.truncate(offsets[lines]);
                channel.force(true);
            }
        }
    }

    @Override
    public int lines() {
        synchronized (writeLock) {
            return lines;
        }
    }

    /** Writes one line (a newline is added) at the end; returns how many lines the file then has. */
    @Override
    public int append(byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(content.length + 1).put(content).put(NEWLINE).flip();
        synchronized (writeLock) {
            long at = offsets[lines];
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            if (lines + 1 >= offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            lines++;
            offsets[lines] = at;
            return lines;
        }
    }

    /** Returns once the first {@code count} lines are on disk; one fsync serves every caller waiting for it. */
    @Override
    public void awaitDurable(int count) throws IOException {
        if (durable >= count) {
            return;
        }
        syncLock.lock();
        try {
            if (durable >= count) {
                return; // the fsync of the caller before us covered this line too
            }
            int target = lines();
            channel.force(false);
            durable = target;
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public int durable() {
        return durable;
    }

    /** Line {@code index} without its newline. */
    @Override
    public byte[] read(int index) throws IOException {
        long start;
        long end;
        synchronized (writeLock) {
            if (index < 0 || index >= lines) {
                throw new IndexOutOfBoundsException("line " + index + " of " + lines);
            }
            start = offsets[index];
            end = offsets[index + 1] - 1;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) (end - start));
        long at = start;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException(path + " ended before line " + index);
            }
            at += n;
        }
        return buffer.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
