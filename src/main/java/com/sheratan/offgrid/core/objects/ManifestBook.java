package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;

/**
 * The core's index of stored objects: the current manifest of each key, one JSON file per key in
 * {@code <state-dir>/objects/} (named by the key's SHA-256, written atomically and fsync'd), read
 * whole at start. A deleted key keeps its tombstone there: it is not found or listed, but its
 * version count goes on when the key is stored again.
 */
final class ManifestBook {
    private static final Logger LOG = EscapingLogger.of(ManifestBook.class);

    private final Path folder;
    private final ConcurrentSkipListMap<String, Manifest> byKey = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Manifest> tombstones = new ConcurrentHashMap<>();

    ManifestBook(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
                for (Path file : files) {
                    try {
                        keep(Json.mapper().readValue(file.toFile(), Manifest.class));
                    } catch (IOException e) {
                        LOG.warn("manifest {} cannot be read ({}): its object is not listed; restore it from the"
                                + " mesh's m- shards (docs/storage.md)", file, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the object manifests in " + folder, e);
        }
    }

    Optional<Manifest> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    List<Manifest> list(String prefix) {
        String from = prefix == null ? "" : prefix;
        return byKey.tailMap(from, true).values().stream().takeWhile(m -> m.key().startsWith(from)).toList();
    }

    List<Manifest> all() {
        return List.copyOf(byKey.values());
    }

    /** The highest version the key has had, deleted or not; 0 for a key never stored. */
    long lastVersion(String key) {
        Manifest live = byKey.get(key);
        Manifest buried = tombstones.get(key);
        return Math.max(live == null ? 0 : live.version(), buried == null ? 0 : buried.version());
    }

    Optional<Manifest> tombstone(String key) {
        return Optional.ofNullable(tombstones.get(key));
    }

    /** Saves the key's manifest, or its tombstone. */
    void save(Manifest manifest) throws IOException {
        AtomicFile.write(file(manifest.key()), Json.mapper().writeValueAsBytes(manifest), AtomicFile.Sync.DURABLE);
        keep(manifest);
    }

    private void keep(Manifest manifest) {
        if (manifest.deleted()) {
            tombstones.put(manifest.key(), manifest);
            byKey.remove(manifest.key());
        } else {
            byKey.put(manifest.key(), manifest);
            tombstones.remove(manifest.key());
        }
    }

    private Path file(String key) {
        return folder.resolve(Digests.sha256Hex(key) + ".json");
    }
}
