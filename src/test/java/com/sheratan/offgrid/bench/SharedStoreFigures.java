package com.sheratan.offgrid.bench;

import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.util.FileUtil;

/**
 * {@code bin/benchmark.sh --job-store postgres} (docs/scale-out.md): end-to-end echo jobs/s from 64
 * clients into one core, then into two cores taken in turn, both cores on one PostgreSQL job store (a
 * private server of this machine's PostgreSQL, fsync on) and one broker with its two hosts. The mesh's
 * own core is the first core; the second is a core process of its own. Runs of one and of two cores
 * alternate, so a neighbour's load on the machine falls on both alike.
 */
final class SharedStoreFigures {
    private static final int CLIENTS = 64;

    private final Benchmark benchmark;

    SharedStoreFigures(Benchmark benchmark) {
        this.benchmark = benchmark;
    }

    void run() throws IOException {
        try (TestPostgres postgres = TestPostgres.start(true); LoadGenerator load = new LoadGenerator()) {
            Map<String, String> store = Map.of("offgrid.core.job-store", "postgres",
                    "offgrid.core.jdbc-url", postgres.newDatabase(), "offgrid.core.jdbc-user", TestPostgres.USER);
            Benchmark.MeshUnderTest mesh = benchmark.startMesh("auto", store);
            Path secondHome = Files.createTempDirectory("offgrid-bench-core-2-");
            RoleProcess second = null;
            try {
                benchmark.warmUp(mesh, load, "one core: ", benchmark.warmUpSeconds());
                int port = Ports.free();
                String secondCore = "http://127.0.0.1:" + port;
                Map<String, String> settings = new HashMap<>(store);
                settings.put("offgrid.core.port", String.valueOf(port));
                settings.put("offgrid.broker-url", mesh.broker());
                settings.put("offgrid.mode", "auto");
                second = RoleProcess.start("core-2", secondHome, "core", settings, benchmark.meshEnvironment(),
                        List.of(secondCore + "/api/status"), benchmark.meshJvm());
                System.out.printf("  a second core on the same PostgreSQL: %s (started in %d ms)%n", secondCore,
                        second.startupMillis());
                load.run("warm-up", CLIENTS, Math.min(benchmark.warmUpSeconds(), 30), () -> Benchmark.jobRequest(secondCore));

                List<Double> one = new ArrayList<>();
                List<Double> two = new ArrayList<>();
                AtomicLong turn = new AtomicLong();
                for (int r = 0; r < benchmark.runs(); r++) {
                    LoadResult single = load.run("e2e one core", CLIENTS, benchmark.seconds(),
                            () -> Benchmark.jobRequest(mesh.core()));
                    LoadResult pair = load.run("e2e two cores", CLIENTS, benchmark.seconds(),
                            () -> Benchmark.jobRequest(turn.getAndIncrement() % 2 == 0 ? mesh.core() : secondCore));
                    one.add(single.perSecond());
                    two.add(pair.perSecond());
                    System.out.printf("  end-to-end echo on PostgreSQL, %d clients, run %d: one core %.0f jobs/s (p99 %.1f ms%s),"
                                    + " two cores %.0f jobs/s (p99 %.1f ms%s)%n", CLIENTS, r + 1, single.perSecond(),
                            single.percentileMillis(99), failed(single), pair.perSecond(), pair.percentileMillis(99),
                            failed(pair));
                }
                List<String[]> table = benchmark.table();
                table.add(Benchmark.row("e2e jobs/s, " + CLIENTS + " clients, one core on PostgreSQL", one, "%.0f"));
                table.add(Benchmark.row("e2e jobs/s, " + CLIENTS + " clients, two cores on one PostgreSQL", two, "%.0f"));
                table.add(new String[] {"two cores as % of one (same broker and hosts, same machine)",
                    String.format("%.0f%%", 100 * Benchmark.median(two) / Benchmark.median(one)), "", ""});
            } finally {
                if (second != null) {
                    second.close();
                }
                mesh.process().close();
                FileUtil.removeDir(mesh.home().toFile());
                FileUtil.removeDir(secondHome.toFile());
            }
        }
    }

    private static String failed(LoadResult result) {
        return result.failed() > 0 ? ", " + result.failed() + " failed" : "";
    }
}
