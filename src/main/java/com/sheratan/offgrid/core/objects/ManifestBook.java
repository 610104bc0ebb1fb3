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
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;

/**
 * The core's index of stored objects: the current manifest of each key, one JSON file per key in
 * {@code <state-dir>/objects/} (named by the key's SHA-256, written atomically and fsync'd), read
 * whole at start.
 */
final class ManifestBook {
    private static final Logger LOG = EscapingLogger.of(ManifestBook.class);

    private final Path folder;
    private final ConcurrentSkipListMap<String, Manifest> byKey = new ConcurrentSkipListMap<>();

    ManifestBook(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
                for (Path file : files) {
                    try {
                        Manifest manifest = Json.mapper().readValue(file.toFile(), Manifest.class);
                        byKey.put(manifest.key(), manifest);
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

    void save(Manifest manifest) throws IOException {
        AtomicFile.write(file(manifest.key()), Json.mapper().writeValueAsBytes(manifest), AtomicFile.Sync.DURABLE);
        byKey.put(manifest.key(), manifest);
    }

    void remove(String key) throws IOException {
        Files.deleteIfExists(file(key));
        byKey.remove(key);
    }

    private Path file(String key) {
        return folder.resolve(Digests.sha256Hex(key) + ".json");
    }
}
