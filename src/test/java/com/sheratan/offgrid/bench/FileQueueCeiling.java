package com.sheratan.offgrid.bench;

import com.sheratan.offgrid.contract.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.util.FileUtil;

/**
 * The ceiling of the inbox in {@code disabled} mode on this disk, measured in the same run: the file
 * queue's own atomic write (temporary file, fsync, rename, folder fsync) of a queue-sized document,
 * from as many threads as the inbox uses, and nothing else — no JSON, no job store, no Camel. The
 * inbox can only be as fast as this, because the SPEC keeps every queue file's fsync.
 *
 * @param filesPerSecond files written per second of wall time
 * @param cpuMillisPerFile this JVM's CPU (user and kernel) per file, most of it the kernel's fsync
 */
record FileQueueCeiling(double filesPerSecond, double cpuMillisPerFile) {
    /** About the size of an echo job's queue document. */
    private static final byte[] DOCUMENT = ("{\"job_id\":\"ceiling\",\"payload\":\"" + "x".repeat(900) + "\"}")
            .getBytes(StandardCharsets.UTF_8);

    static FileQueueCeiling measure(Path scratch, int files, int threads) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(scratch.resolve("file-queue-ceiling"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            ProcessCpu before = ProcessCpu.of(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            List<Future<?>> writes = new ArrayList<>(files);
            for (int i = 0; i < files; i++) {
                Path target = dir.resolve("ceiling-" + i + ".job.json");
                writes.add(pool.submit(() -> {
                    AtomicFile.write(target, DOCUMENT, AtomicFile.Sync.DURABLE);
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessCpu used = ProcessCpu.of(ProcessHandle.current().pid()).since(before);
            return new FileQueueCeiling(files / seconds, (double) used.totalMillis() / files);
        } catch (ExecutionException e) {
            throw new IOException("the file queue ceiling could not write its files: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            FileUtil.removeDir(dir.toFile());
        }
    }
}
