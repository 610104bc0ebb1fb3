package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.storage.ObjectCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.slf4j.Logger;

/**
 * The core's storage key (SPEC 13), which wraps every object's data key and seals the manifests:
 * {@code OFFGRID_STORAGE_KEY} (Base64 of 32 bytes) when set, else {@code <state-dir>/storage.key},
 * made at first use (mode 0600) with a WARN to back it up: without it nothing stored can be read.
 */
public final class StorageKey {
    private static final Logger LOG = EscapingLogger.of(StorageKey.class);
    public static final String SETTING = "offgrid.storage.key";
    public static final String FILE = "storage.key";

    private StorageKey() {
    }

    /** The key from the setting, else from (or newly into) {@code stateDir/storage.key}. */
    public static byte[] load(String setting, Path stateDir, ObjectCipher cipher) {
        if (setting != null && !setting.isBlank()) {
            return decode(setting.strip(), "OFFGRID_STORAGE_KEY");
        }
        Path file = stateDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            byte[] key = cipher.newKey();
            AtomicFile.write(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII),
                    AtomicFile.Sync.DURABLE, true);
            LOG.warn("made a new storage key in {} (mode 0600): BACK IT UP. Every object stored on the mesh is"
                    + " encrypted under it; without it (or OFFGRID_STORAGE_KEY set to it) nothing can be read back,"
                    + " not even by `restore`", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the storage key " + file, e);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RoleStartException("the storage key in " + where + " is not Base64");
        }
        if (key.length != ObjectCipher.KEY_BYTES) {
            throw new RoleStartException("the storage key in " + where + " must be Base64 of 32 bytes, was "
                    + key.length + " bytes");
        }
        return key;
    }
}
