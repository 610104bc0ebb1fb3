package com.sheratan.offgrid.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Every file a role hands to someone else, or to its own next start (queue files, attempt records,
 * host keys, the host reputation, files a job writes), is written so a reader sees all of it or
 * nothing: into a hidden temporary file of its own in the same folder, then renamed over the target.
 * A failed write leaves no temporary file behind (a process killed mid-write can: its name is
 * {@code .<name>.<uuid>.tmp}). The temporary file is created new ({@code CREATE_NEW}, never
 * through a link: {@code NOFOLLOW_LINKS}), and the rename replaces a link at the target itself, so
 * a link placed beforehand at either name never makes the write land outside the folder.
 */
public final class AtomicFile {
    /** What survives a crash of the machine (not only of the process) right after the write returns. */
    public enum Sync {
        /** the file and its name are on disk: the file is fsync'd before the rename, its folder after */
        DURABLE,
        /**
         * left to the operating system: a crash of the process never shows half a file; a crash of
         * the machine may lose the write, or (depending on the file system) leave the target empty.
         * For files written per request, where an fsync each would cap the rate at the disk's
         */
        NOT_SYNCED
    }

    private static final Set<OpenOption> TEMP_FILE_OPTIONS = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content, Sync sync) throws IOException {
        write(target, content, sync, false);
    }

    /**
     * {@code secret}: the file is readable by its owner only from its first byte on (where the file
     * system has POSIX permissions; elsewhere the folder's own permissions protect it).
     */
    public static void write(Path target, byte[] content, Sync sync, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // only then: createDirectories on a folder that exists costs the JDK an exception it catches
            Files.createDirectories(dir);
        }
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<?>[] attributes = secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    TEMP_FILE_OPTIONS, attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (sync == Sync.DURABLE) {
                    channel.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
        } finally {
            if (!renamed) {
                // only then: deleting a name that is gone costs the JDK an exception it throws and catches
                Files.deleteIfExists(temp);
            }
        }
        if (sync == Sync.DURABLE) {
            try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
                folder.force(true);
            } catch (IOException ignored) {
                // not every file system can sync a folder; the rename itself is already atomic
            }
        }
    }
}
