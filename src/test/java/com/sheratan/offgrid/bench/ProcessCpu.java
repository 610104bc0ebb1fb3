package com.sheratan.offgrid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a process has used so far, from Linux's /proc: the whole process ({@code /proc/<pid>/stat},
 * which keeps the time of threads that have ended), and its JIT compiler threads alone
 * ({@code /proc/<pid>/task/<tid>/stat}), so a figure can say how much of the mesh's CPU went to
 * compiling rather than to jobs. Zero where /proc is not there.
 */
record ProcessCpu(long totalMillis, long compilerMillis) {
    private static final long MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux

    static ProcessCpu of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long compiler = 0;
        long total;
        try (Stream<Path> threads = Files.list(proc.resolve("task"))) {
            total = millis(Files.readString(proc.resolve("stat")));
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    compiler += millis(stat);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ProcessCpu(0, 0);
        }
        return new ProcessCpu(total, compiler);
    }

    /** utime + stime of one stat line (fields 14 and 15, counted after the command name in brackets). */
    private static long millis(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    }

    /** The JIT compiler's share of this CPU time, 0 to 1; 1 when none was measured, so nothing never counts as settled. */
    double compilerShare() {
        return totalMillis == 0 ? 1 : (double) compilerMillis / totalMillis;
    }

    ProcessCpu since(ProcessCpu earlier) {
        // a compiler thread that ended takes its time along: never report less than nothing
        return new ProcessCpu(totalMillis - earlier.totalMillis, Math.max(0, compilerMillis - earlier.compilerMillis));
    }
}
