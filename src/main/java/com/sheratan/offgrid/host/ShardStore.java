package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.storage.ShardId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The shards a host keeps for the mesh's storage (SPEC 13), one file each in {@code shards/<node-id>/},
 * named {@code <shard_id>.<sha256>}: the hash recorded at write travels with the bytes in one atomic
 * rename, so a crash never leaves a shard without its hash. Every read hashes the file again; a file
 * that no longer matches is moved to {@code .corrupt/} and answered as corrupt, never served.
 * The index (id → hash, size) is read from the folder at start and kept in memory.
 */
public final class ShardStore {
    private static final Logger LOG = EscapingLogger.of(ShardStore.class);
    private static final String CORRUPT = ".corrupt";

    /** What the host holds under one id. */
    public record Shard(String shardId, long bytes, String sha256) {
    }

    /** How a write ended. */
    public enum PutResult { CREATED, SAME_BYTES, EXISTS_DIFFERENT, HASH_MISMATCH, NO_SPACE }

    /** How a read ended: the bytes, or why not. */
    public record Read(Shard shard, byte[] content, boolean corrupt) {
    }

    private final Path folder;
    private final long capacityBytes;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, Shard> index = new ConcurrentSkipListMap<>();
    private final AtomicLong usedBytes = new AtomicLong();
    /** writes and deletes of one id happen one at a time (ids share 64 striped locks) */
    private final Object[] idLocks = new Object[64];

    public ShardStore(Path folder, long capacityBytes, Clock clock) {
        this.folder = folder;
        this.capacityBytes = capacityBytes;
        this.clock = clock;
        for (int i = 0; i < idLocks.length; i++) {
            idLocks[i] = new Object();
        }
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path file : files) {
                    load(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shard folder " + folder, e);
        }
    }

    private void load(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            if (name.endsWith(".tmp")) {
                Files.deleteIfExists(file); // a write cut short by a crash: never acknowledged
            }
            return;
        }
        int dot = name.indexOf('.');
        if (dot < 0 || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !ShardId.isValid(name.substring(0, dot)) || !name.substring(dot + 1).matches("[0-9a-f]{64}")) {
            LOG.warn("shard folder {}: ignoring {}, which is not a shard file (<shard_id>.<sha256>)", folder, name);
            return;
        }
        Shard shard = new Shard(name.substring(0, dot), Files.size(file), name.substring(dot + 1));
        index.put(shard.shardId(), shard);
        usedBytes.addAndGet(shard.bytes());
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public long usedBytes() {
        return usedBytes.get();
    }

    public long freeBytes() {
        return Math.max(0, capacityBytes - usedBytes.get());
    }

    public int count() {
        return index.size();
    }

    public Optional<Shard> find(String shardId) {
        return Optional.ofNullable(index.get(shardId));
    }

    public List<Shard> list(String prefix) {
        String from = prefix == null ? "" : prefix;
        return index.tailMap(from, true).values().stream().takeWhile(s -> s.shardId().startsWith(from)).toList();
    }

    /** Stores {@code content} under {@code shardId} if it hashes to {@code sha256}, there is room, and the id is new. */
    public PutResult put(String shardId, String sha256, byte[] content) throws IOException {
        return put(shardId, sha256, content, null);
    }

    /** As {@link #put(String, String, byte[])}; {@code knownSha256}: the body's hash, computed already (or null). */
    public PutResult put(String shardId, String sha256, byte[] content, String knownSha256) throws IOException {
        String actual = knownSha256 != null ? knownSha256 : Digests.sha256Hex(content);
        if (!actual.equals(sha256)) {
            return PutResult.HASH_MISMATCH;
        }
        synchronized (lock(shardId)) {
            Shard known = index.get(shardId);
            if (known != null) {
                return known.sha256().equals(actual) && known.bytes() == content.length
                        ? PutResult.SAME_BYTES : PutResult.EXISTS_DIFFERENT;
            }
            if (usedBytes.addAndGet(content.length) > capacityBytes) {
                usedBytes.addAndGet(-content.length);
                return PutResult.NO_SPACE;
            }
            try {
                // not fsync'd per shard: the core counts a shard as stored once a quorum answered, and repair
                // replaces one lost in a machine crash (docs/storage.md)
                AtomicFile.write(file(shardId, actual), content, AtomicFile.Sync.NOT_SYNCED);
            } catch (IOException | RuntimeException e) {
                usedBytes.addAndGet(-content.length);
                throw e;
            }
            index.put(shardId, new Shard(shardId, content.length, actual));
            return PutResult.CREATED;
        }
    }

    /** The shard's bytes, checked against the hash recorded at write; a mismatch moves the file aside. */
    public Optional<Read> read(String shardId) throws IOException {
        Shard shard = index.get(shardId);
        if (shard == null) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file(shardId, shard.sha256()));
        } catch (java.nio.file.NoSuchFileException e) {
            // deleted meanwhile by a DELETE, or removed from the disk behind the host's back
            synchronized (lock(shardId)) {
                if (index.get(shardId) == shard && !Files.exists(file(shardId, shard.sha256()))) {
                    forget(shard);
                    LOG.warn("shard {} was missing from {}: forgotten", shardId, folder);
                }
            }
            return Optional.empty();
        }
        if (content.length != shard.bytes() || !Digests.sha256Hex(content).equals(shard.sha256())) {
            moveAside(shard);
            return Optional.of(new Read(shard, null, true));
        }
        return Optional.of(new Read(shard, content, false));
    }

    public boolean delete(String shardId) throws IOException {
        synchronized (lock(shardId)) {
            Shard shard = index.get(shardId);
            if (shard == null) {
                return false;
            }
            Files.deleteIfExists(file(shardId, shard.sha256()));
            forget(shard);
            return true;
        }
    }

    private void moveAside(Shard shard) throws IOException {
        synchronized (lock(shard.shardId())) {
            if (index.get(shard.shardId()) != shard) {
                return;
            }
            Path aside = folder.resolve(CORRUPT);
            Files.createDirectories(aside);
            Path target = aside.resolve(shard.shardId() + "." + shard.sha256() + "." + clock.millis());
            Files.move(file(shard.shardId(), shard.sha256()), target, StandardCopyOption.ATOMIC_MOVE);
            forget(shard);
            LOG.warn("shard {} no longer matches the SHA-256 recorded when it was written: moved to {}; the core's"
                    + " repair will place it again from the other shards", shard.shardId(), target);
        }
    }

    private void forget(Shard shard) {
        if (index.remove(shard.shardId(), shard)) {
            usedBytes.addAndGet(-shard.bytes());
        }
    }

    private Path file(String shardId, String sha256) {
        return folder.resolve(shardId + "." + sha256);
    }

    private Object lock(String shardId) {
        return idLocks[Math.floorMod(shardId.hashCode(), idLocks.length)];
    }
}
