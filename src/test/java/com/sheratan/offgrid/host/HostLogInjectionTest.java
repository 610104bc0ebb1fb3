package com.sheratan.offgrid.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request-controlled value with a newline or a NUL cannot forge or hide a log line. */
class HostLogInjectionTest {
    @TempDir
    Path home;

    @Test
    void controlCharactersInKindAndJobIdAreEscapedInTheLog() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-log", Map.of()));
            ObjectNode job = HostCalls.job("nope\nFORGED-KIND-LINE\u0000hidden", Map.of("text", "x"));
            assertEquals(422, calls.run(job).statusCode());
            Eventually.holds(Duration.ofSeconds(10), () -> assertTrue(captured.toString(StandardCharsets.UTF_8).contains("FORGED-KIND-LINE")));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("nope\\nFORGED-KIND-LINE\\0hidden"), log);
        for (String line : log.split("\n")) {
            assertFalse(line.startsWith("FORGED-KIND-LINE"), "a forged line: " + line);
        }
        assertFalse(log.contains("\u0000"), "a raw NUL in the log");
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
