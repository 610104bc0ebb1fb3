package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.EscapingLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;

/**
 * The {@link ReplayGuard}'s memory on disk, so a request captured before a restart is still refused
 * after it (SPEC 6: a nonce seen in the last 600 s gets 401, restart or not).
 *
 * <p>Two files mirror the guard's two generations: {@code current.bin} and {@code previous.bin}, each
 * an 8-byte header (the epoch second its generation began) followed by 8-byte fingerprints. Every
 * accepted nonce is written to {@code current.bin} before the request is answered: a write to the
 * file, which a killed process cannot take back; the file is synced to the disk at most once a
 * second, at each generation change and at stop, so a machine that loses power may forget the
 * nonces of its last second. A torn last fingerprint is ignored when loading. A link at either name
 * is refused, never followed.
 *
 * <p>A journal that cannot be written (a full disk) is logged at ERROR once; the guard goes on
 * refusing replays from memory, and the nonces seen from then on are not kept across a restart.
 */
public final class NonceJournal extends ServiceSupport {
    private static final Logger LOG = EscapingLogger.of(NonceJournal.class);
    private static final long SYNC_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path folder;
    private final Path current;
    private final Path previous;
    private final ByteBuffer one = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
    private FileChannel channel;
    private long lastSync = System.nanoTime();
    private boolean failed;

    /** What the files held when the journal was opened. */
    public record Kept(long currentSince, long[] current, long previousSince, long[] previous) {
        static final Kept NOTHING = new Kept(Long.MIN_VALUE, new long[0], Long.MIN_VALUE, new long[0]);
    }

    public NonceJournal(Path folder) {
        this.folder = folder;
        this.current = folder.resolve("current.bin");
        this.previous = folder.resolve("previous.bin");
    }

    /** Reads both generations (nothing when there are none yet). */
    public synchronized Kept load() {
        try {
            Files.createDirectories(folder);
            long[] currentSince = {Long.MIN_VALUE};
            long[] currentFingerprints = read(current, currentSince);
            long[] previousSince = {Long.MIN_VALUE};
            long[] previousFingerprints = read(previous, previousSince);
            if (currentSince[0] == Long.MIN_VALUE) {
                return Kept.NOTHING;
            }
            return new Kept(currentSince[0], currentFingerprints, previousSince[0], previousFingerprints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replay guard's nonces in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Starts a new current generation; the old current one becomes the previous, or is dropped. */
    public synchronized void newGeneration(long sinceSeconds, boolean keepPrevious) {
        if (failed) {
            return;
        }
        try {
            closeChannel();
            refuseLink(previous);
            if (keepPrevious && Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(previous);
            }
            Path fresh = folder.resolve("current.bin.tmp");
            Files.deleteIfExists(fresh);
            try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                writeLong(out, sinceSeconds);
                out.force(true);
            }
            refuseLink(current);
            Files.move(fresh, current, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = openForAppend();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Keeps one accepted nonce's fingerprint (in the current generation). */
    public synchronized void append(long fingerprint) {
        if (failed) {
            return;
        }
        try {
            if (channel == null) {
                channel = openForAppend();
            }
            writeLong(channel, fingerprint);
            long now = System.nanoTime();
            if (now - lastSync > SYNC_EVERY_NANOS) {
                channel.force(false);
                lastSync = now;
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    protected synchronized void doStop() {
        try {
            closeChannel();
        } catch (IOException e) {
            LOG.warn("replay guard: cannot close {}: {}", current, e.getMessage());
        }
    }

    private FileChannel openForAppend() throws IOException {
        refuseLink(current);
        return FileChannel.open(current, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            try {
                channel.force(false);
            } finally {
                channel.close();
                channel = null;
            }
        }
    }

    private void writeLong(FileChannel out, long value) throws IOException {
        one.clear();
        one.putLong(value).flip();
        while (one.hasRemaining()) {
            out.write(one);
        }
    }

    private void fail(IOException e) {
        failed = true;
        LOG.error("replay guard: cannot write its nonces to {} ({}): replays are still refused while this process"
                + " runs, but the nonces seen from now on are not kept across a restart", folder, e.toString());
        try {
            closeChannel();
        } catch (IOException ignored) {
            // already failed
        }
    }

    private static void refuseLink(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a link; the replay guard does not follow links");
        }
    }

    /** The fingerprints of one generation file; {@code since[0]} gets its header. A torn last one is dropped. */
    private static long[] read(Path file, long[] since) throws IOException {
        refuseLink(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new long[0];
        }
        if (bytes.length < Long.BYTES) {
            return new long[0];
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        since[0] = buffer.getLong();
        long[] fingerprints = new long[buffer.remaining() / Long.BYTES];
        for (int i = 0; i < fingerprints.length; i++) {
            fingerprints[i] = buffer.getLong();
        }
        return fingerprints;
    }
}
