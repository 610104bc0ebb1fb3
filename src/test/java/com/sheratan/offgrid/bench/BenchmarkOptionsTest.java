package com.sheratan.offgrid.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A bad option of bin/benchmark.sh is refused with a reason, before any mesh starts. */
class BenchmarkOptionsTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Benchmark.fromArgs(args)).getMessage();
    }

    @Test
    void badOptionsAreRefusedWithWhatIsWrong() {
        assertEquals("unknown option --fast", refusal("--fast"));
        assertEquals("--runs needs a value", refusal("--runs"));
        assertEquals("--seconds takes a number, not 'ten'", refusal("--seconds", "ten"));
        assertEquals("--runs must be at least 1.0, not 0", refusal("--runs", "0"));
        assertEquals("--warm-up must be at least 0.0, not NaN", refusal("--warm-up", "NaN"));
        assertEquals("--only takes e2e,ledger,broker,host,status,flood,inbox,storage, not 'hosts'", refusal("--only", "e2e,hosts"));
        assertEquals("--job-store takes file or postgres, not 'mysql'", refusal("--job-store", "mysql"));
    }

    @Test
    void theDocumentedOptionsAreTaken() {
        assertDoesNotThrow(() -> Benchmark.fromArgs(new String[] {"--quick", "--runs", "2", "--seconds", "1.5",
                "--warm-up", "0", "--inbox-files", "100", "--only", "e2e,inbox", "--mesh-jvm", "-Xmx256m", "--job-store", "postgres"}));
    }
}
