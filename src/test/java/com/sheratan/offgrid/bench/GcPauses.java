package com.sheratan.offgrid.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collections of a process so far — young and full, how many and how long they stopped
 * it — as the JDK's {@code jstat -gc} reports them, so a load figure can say how much of its time the
 * mesh stood still, and a p99 can be told apart from a full collection. Empty where there is no
 * {@code jstat} next to this JVM, or it cannot read the process.
 */
record GcPauses(long young, double youngSeconds, long full, double fullSeconds) {
    private static final long JSTAT_TIMEOUT_SECONDS = 10;

    static Optional<GcPauses> of(long pid) {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        if (!Files.isExecutable(jstat)) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid))
                    .redirectErrorStream(true).start();
            // two short lines: they fit in the pipe, so waiting first cannot block jstat
            if (!process.waitFor(JSTAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? parse(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code jstat -gc}'s two lines: the column names, then the values (YGC, YGCT, FGC, FGCT among them). */
    static Optional<GcPauses> parse(String jstatOutput) {
        String[] lines = jstatOutput.strip().split("\\R");
        if (lines.length < 2) {
            return Optional.empty();
        }
        List<String> names = Arrays.asList(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        int ygc = names.indexOf("YGC");
        int ygct = names.indexOf("YGCT");
        int fgc = names.indexOf("FGC");
        int fgct = names.indexOf("FGCT");
        if (Math.min(Math.min(ygc, ygct), Math.min(fgc, fgct)) < 0 || values.length != names.size()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GcPauses(Long.parseLong(values[ygc]), Double.parseDouble(values[ygct]),
                    Long.parseLong(values[fgc]), Double.parseDouble(values[fgct])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    GcPauses since(GcPauses earlier) {
        return new GcPauses(young - earlier.young, youngSeconds - earlier.youngSeconds, full - earlier.full,
                fullSeconds - earlier.fullSeconds);
    }

    /** The share of {@code seconds} of wall time the process was stopped for collections, in percent. */
    double stoppedPercent(double seconds) {
        return 100 * (youngSeconds + fullSeconds) / seconds;
    }
}
