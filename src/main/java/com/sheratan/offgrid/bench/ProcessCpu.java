package com.sheratan.offgrid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a process has used so far, read from Linux's {@code /proc/<pid>/task/*}/stat: all its
 * threads, and the JIT compiler threads alone (so a figure can say how much of the mesh's CPU went
 * to compiling rather than to jobs). Zero where /proc is not there.
 */
record ProcessCpu(long totalMillis, long compilerMillis) {
    private static final long MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux

    static ProcessCpu of(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long total = 0;
        long compiler = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
                total += millis;
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    compiler += millis;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ProcessCpu(0, 0);
        }
        return new ProcessCpu(total, compiler);
    }

    ProcessCpu since(ProcessCpu earlier) {
        return new ProcessCpu(totalMillis - earlier.totalMillis, compilerMillis - earlier.compilerMillis);
    }
}
