package com.sheratan.offgrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkHeaderTest {

    @Test
    void namesTheCpuModelAsLinuxReportsIt() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo here");
        List<String> models = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).toList();
        assumeTrue(!models.isEmpty(), "this CPU reports no model name");
        String expected = models.get(0).split(":", 2)[1].strip();

        assertEquals(expected, Benchmark.cpuModel());
    }
}
