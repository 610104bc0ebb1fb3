package com.sheratan.offgrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GcPausesTest {

    @Test
    void readsThisJvmsCollectionsAndCountsTheOnesBetweenTwoReadings() {
        long pid = ProcessHandle.current().pid();
        Optional<GcPauses> before = GcPauses.of(pid);
        // no jstat next to this JVM (a JRE): the benchmark leaves the GC rows out, and this test is skipped
        assumeTrue(before.isPresent(), "no jstat next to this JVM");
        System.gc();
        GcPauses since = GcPauses.of(pid).orElseThrow().since(before.get());
        assertTrue(since.young() + since.full() >= 1, "System.gc() is a collection: " + since);
        assertTrue(since.youngSeconds() >= 0 && since.fullSeconds() >= 0, since.toString());
    }

    @Test
    void readsTheColumnsByName() {
        String jstat = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                5440.0 5440.0  0.0   1024.5 43776.0  12000.1   109248.0   70000.2   44000.0 43000.0 5000.0 4800.0    702    8.120   45    4.960     -          -   13.080
                """;
        assertEquals(Optional.of(new GcPauses(702, 8.120, 45, 4.960)), GcPauses.parse(jstat));
        assertEquals(3.0, new GcPauses(10, 0.2, 1, 0.1).stoppedPercent(10), 1e-9);
    }

    @Test
    void anAnswerThatIsNotJstatsTableReadsAsNothing() {
        assertEquals(Optional.empty(), GcPauses.parse("4948 not found\n"));
        assertEquals(Optional.empty(), GcPauses.parse("YGC YGCT FGC FGCT\n1 x 2 0.1\n"));
        assertEquals(Optional.empty(), GcPauses.of(Long.MAX_VALUE));
    }
}
