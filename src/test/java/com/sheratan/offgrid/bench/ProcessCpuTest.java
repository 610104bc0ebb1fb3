package com.sheratan.offgrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void readsThisProcessAndCountsWorkDoneBetweenTwoReadings() {
        long pid = ProcessHandle.current().pid();
        ProcessCpu before = ProcessCpu.of(pid);
        assertTrue(before.totalMillis() > 0, "a running JVM has used CPU: " + before);
        assertTrue(before.compilerMillis() <= before.totalMillis(), before.toString());

        // spin until this thread has had 300 ms of CPU, however busy the machine is
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        while (threads.getCurrentThreadCpuTime() < until) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        ProcessCpu used = ProcessCpu.of(pid).since(before);
        assertTrue(used.totalMillis() >= 250, "300 ms of spinning shows as CPU time: " + used + " " + sink);
    }

    @Test
    void aProcessThatIsNotThereReadsAsNothing() {
        assertEquals(new ProcessCpu(0, 0), ProcessCpu.of(Long.MAX_VALUE));
    }
}
