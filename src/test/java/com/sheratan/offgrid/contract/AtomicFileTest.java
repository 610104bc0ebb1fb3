package com.sheratan.offgrid.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void writesOrReplacesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/job.json");
        AtomicFile.write(target, "first".getBytes(StandardCharsets.UTF_8), AtomicFile.Sync.DURABLE);
        AtomicFile.write(target, "second".getBytes(StandardCharsets.UTF_8), AtomicFile.Sync.NOT_SYNCED);

        assertEquals("second", Files.readString(target));
        assertEquals(List.of(target), filesIn(target.getParent()), "only the file itself");
    }

    @Test
    void replacesALinkAtTheTargetInsteadOfWritingThroughIt() throws IOException {
        Path outside = dir.resolve("outside.txt");
        Files.writeString(outside, "keep me");
        Path link = dir.resolve("link.txt");
        Files.createSymbolicLink(link, outside);

        AtomicFile.write(link, new byte[] {1, 2, 3}, AtomicFile.Sync.NOT_SYNCED);

        assertEquals("keep me", Files.readString(outside));
        assertTrue(Files.isRegularFile(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(link));
    }

    @Test
    void aSecretIsOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path key = dir.resolve("key");
        AtomicFile.write(key, new byte[] {42}, AtomicFile.Sync.DURABLE, true);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndTheTargetAsItWas() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");

        assertThrows(IOException.class, () -> AtomicFile.write(target, new byte[] {1}, AtomicFile.Sync.DURABLE));
        assertEquals(List.of(target), filesIn(dir), "no temporary file left");
        assertEquals("x", Files.readString(target.resolve("inside")));
    }
}
