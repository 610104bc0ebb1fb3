package com.sheratan.offgrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.core.JobDatabase;
import com.sheratan.offgrid.launch.MeshLayout;
import com.sheratan.offgrid.testing.IdleConnections;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.util.FileUtil;

/**
 * The shipped benchmark (bin/benchmark.sh): starts the in-JVM mesh as a child process on free
 * loopback ports, drives it over real HTTP and prints a table of medians (min–max) over runs.
 * Its options are {@link #USAGE} ({@code bin/benchmark.sh --help}).
 */
public final class Benchmark {
    /** The JIT's share of the mesh's CPU under which a warm-up slice counts the JVM as warm. */
    private static final double SETTLED_JIT_SHARE = 0.05;
    private static final double WARM_UP_SLICE_SECONDS = 10;
    /** The core's default {@code offgrid.core.inbox-threads}: the ceiling writes from as many threads. */
    private static final int INBOX_THREADS = 16;

    private final int runs;
    private final double seconds;
    private final double warmUpSeconds;
    private final int inboxFiles;
    private final List<String> meshJvm;
    private final java.util.Set<String> only;
    private final String jobStore;
    private final RequestSigner signer;
    private final AuthKeys keys;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String[]> table = new ArrayList<>();
    private ProcessCpu loadCpu = new ProcessCpu(0, 0);

    Benchmark(int runs, double seconds, double warmUpSeconds, int inboxFiles, List<String> meshJvm,
              java.util.Set<String> only, String jobStore) {
        this.only = only;
        this.jobStore = jobStore;
        this.runs = runs;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.inboxFiles = inboxFiles;
        this.meshJvm = meshJvm;
        // the mesh it starts is private (temporary folder, free loopback ports), so it gets a secret of
        // its own, given to it explicitly: a .env here or there, or OFFGRID_AUTH_* variables, cannot make
        // the benchmark sign with one key and the mesh check another
        this.keys = AuthKeys.parse("bench-" + UUID.randomUUID(), "", "default");
        this.signer = new RequestSigner(keys);
    }

    static final List<String> FIGURES = List.of("e2e", "ledger", "broker", "host", "status", "flood", "inbox", "storage");
    /** The object size of the storage figures: 64 MiB (SPEC 13), 8 MiB with --quick. */
    private int storageMiB = 64;
    static final String USAGE = """
            usage: bin/benchmark.sh [--quick] [--runs N] [--seconds S] [--warm-up S] [--inbox-files N]
                                    [--mesh-jvm "OPTIONS"] [--only e2e,ledger,broker,host,status,flood,inbox,storage]
                                    [--job-store file|postgres]
              --quick        1 run of 2 s, 2 s of warm-up, 300 inbox files: proves it works (CI), no figures
              --runs         timed runs per figure (3); the table gives their median, min and max
              --seconds      length of each load run (10)
              --warm-up      at most this long warming the JIT up, for the load and for each inbox mode (300)
              --inbox-files  files per inbox batch (10000)
              --mesh-jvm     the mesh's JVM options (those of bin/mesh.sh)
              --only         just these figures (storage: RS 4+2 alone, then put/get/degraded get of 64 MiB
                             objects on six hosts in this JVM; 8 MiB with --quick)
              --job-store    postgres: instead of the figures above, e2e jobs/s of one core and of two cores
                             on one PostgreSQL job store (a private server, fsync on; docs/scale-out.md)""";

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Benchmark benchmark;
        try {
            benchmark = fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        benchmark.run();
    }

    /** The benchmark the options ask for; a bad option is an {@link IllegalArgumentException} that says why. */
    static Benchmark fromArgs(String[] args) {
        int runs = 3;
        double seconds = 10;
        double warmUp = 300;
        int files = 10_000;
        // the options bin/mesh.sh runs the mesh with, the class archive included when it is current
        String jvm = "-Xms32m -Xmx320m -XX:+UseSerialGC";
        java.io.File jar = new java.io.File("target/sheratan-offgrid.jar");
        java.io.File archive = new java.io.File("target/sheratan-offgrid.jsa");
        if (archive.isFile() && archive.lastModified() >= jar.lastModified()) {
            jvm += " -XX:SharedArchiveFile=" + archive.getAbsolutePath() + " -Xlog:cds=off -Xlog:cds+dynamic=off";
        }
        java.util.Set<String> only = new java.util.HashSet<>();
        boolean quick = false;
        String store = "file";
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--quick" -> {
                    runs = 1;
                    seconds = 2;
                    warmUp = 2;
                    files = 300;
                    quick = true;
                }
                case "--runs" -> runs = (int) number(option, value(args, ++i, option), 1);
                case "--seconds" -> seconds = number(option, value(args, ++i, option), 0.1);
                case "--warm-up" -> warmUp = number(option, value(args, ++i, option), 0);
                case "--inbox-files" -> files = (int) number(option, value(args, ++i, option), 1);
                case "--mesh-jvm" -> jvm = value(args, ++i, option);
                case "--only" -> {
                    for (String figure : value(args, ++i, option).split(",")) {
                        if (!FIGURES.contains(figure)) {
                            throw new IllegalArgumentException("--only takes " + String.join(",", FIGURES) + ", not '"
                                    + figure + "'");
                        }
                        only.add(figure);
                    }
                }
                case "--job-store" -> {
                    store = value(args, ++i, option);
                    if (!List.of("file", "postgres").contains(store)) {
                        throw new IllegalArgumentException("--job-store takes file or postgres, not '" + store + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        Benchmark benchmark = new Benchmark(runs, seconds, warmUp, files, List.of(jvm.trim().split("\\s+")), only, store);
        benchmark.storageMiB = quick ? 8 : 64;
        return benchmark;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double number(String option, String text, double least) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + text + "'");
        }
        if (!(value >= least) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", not " + text);
        }
        return value;
    }

    void run() throws Exception {
        System.out.printf("Sheratan Offgrid benchmark: %d run(s) of %.0f s per figure after at most %.0f s of warm-up, %d inbox files, %d cores, mesh JVM %s%n",
                runs, seconds, warmUpSeconds, inboxFiles, Runtime.getRuntime().availableProcessors(), meshJvm);
        // the figures move 2x with the CPU model (docs/benchmarks.md, "Why the code is as it is"): the header names it
        System.out.printf("machine: %s, %s %s, Java %s%n", cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"));
        if (jobStore.equals("postgres")) {
            new SharedStoreFigures(this).run();
            print();
            return;
        }
        List<Double> startups = new ArrayList<>();
        if (wanted("e2e") || wanted("broker") || wanted("host") || wanted("status") || wanted("flood")) {
            try (LoadGenerator load = new LoadGenerator()) {
                MeshUnderTest mesh = startMesh("auto");
                startups.add((double) mesh.process().startupMillis());
                try {
                    warmUp(mesh, load, "", warmUpSeconds);
                    LoadFigure e2e = null;
                    LoadFigure status = null;
                    if (wanted("e2e")) {
                        loadFigure("end-to-end echo (core->broker->host)", 16, mesh, load, () -> jobRequest(mesh));
                        e2e = loadFigure("end-to-end echo (core->broker->host)", 64, mesh, load, () -> jobRequest(mesh));
                    }
                    if (wanted("broker")) {
                        loadFigure("broker /auction direct", 64, mesh, load, () -> auctionRequest(mesh));
                    }
                    if (wanted("host")) {
                        loadFigure("host /run direct", 64, mesh, load, () -> runRequest(mesh));
                    }
                    if (wanted("status")) {
                        status = loadFigure("GET /status (one HTTP hop)", 64, mesh, load,
                                () -> new LoadGenerator.Request(HttpMethod.GET, mesh.hostA() + "/status", Map.of(), null));
                    }
                    if (e2e != null && status != null) {
                        double ceiling = status.median(LoadResult::perSecond) / 5;
                        table.add(new String[] {"e2e jobs/s as % of (single-hop req/s / 5)",
                            String.format("%.0f%%", 100 * e2e.median(LoadResult::perSecond) / ceiling), "", ""});
                    }
                    if (loadCpu.totalMillis() > 0) {
                        table.add(new String[] {"JIT compiler share of the mesh's CPU during the load runs",
                            String.format("%.0f%%", 100.0 * loadCpu.compilerMillis() / loadCpu.totalMillis()), "", ""});
                    }
                    table.add(new String[] {"mesh resident memory after load (MiB)",
                        String.format("%.0f", mesh.process().residentKiB() / 1024.0), "", ""});
                    if (wanted("flood")) {
                        flood(mesh);
                    }
                    addJobStoreSize(mesh);
                } finally {
                    mesh.process().close();
                    FileUtil.removeDir(mesh.home().toFile());
                }
            }
        }
        if (wanted("ledger")) {
            try (LoadGenerator load = new LoadGenerator()) {
                ledgerOnAndOff(load);
            }
        }
        List<Double> ceilings = new ArrayList<>();
        if (wanted("inbox")) {
            List<Double> cpuPerFile = new ArrayList<>();
            int files = Math.min(inboxFiles, 4_000);
            for (int r = 0; r < runs; r++) {
                settleDisk();
                FileQueueCeiling ceiling = FileQueueCeiling.measure(Path.of(System.getProperty("java.io.tmpdir")), files,
                        INBOX_THREADS);
                System.out.printf("  file queue ceiling, run %d: %d atomic fsync'd writes from %d threads, %.0f files/s, %.2f ms CPU per file%n",
                        r + 1, files, INBOX_THREADS, ceiling.filesPerSecond(), ceiling.cpuMillisPerFile());
                ceilings.add(ceiling.filesPerSecond());
                cpuPerFile.add(ceiling.cpuMillisPerFile());
            }
            table.add(row("file queue ceiling (write, fsync, rename, folder fsync; no job work): files/s", ceilings, "%.0f"));
            table.add(row("file queue ceiling: CPU ms per file (mostly the kernel's fsync)", cpuPerFile, "%.2f"));
        }
        for (String mode : wanted("inbox") ? List.of("disabled", "auto") : List.<String>of()) {
            // each run's first batch is what a freshly started core does; the first run's mesh then takes
            // batches until the JIT has settled, as the load figures do, and times `runs` more batches
            List<Double> rates = new ArrayList<>();
            List<Double> secs = new ArrayList<>();
            List<Double> settledRates = new ArrayList<>();
            List<Double> settledCpu = new ArrayList<>();
            int freshRows = table.size(); // the fresh core's rows go above the warm-up's
            for (int r = 0; r < runs; r++) {
                settleDisk();
                MeshUnderTest mesh = startMesh(mode);
                startups.add((double) mesh.process().startupMillis());
                try {
                    double s = inboxRun(mesh, mode, 1);
                    System.out.printf("  inbox, %s mode, run %d: %d files in %.2f s (a fresh core)%n", mode, r + 1,
                            inboxFiles, s);
                    secs.add(s);
                    rates.add(inboxFiles / s);
                    if (r == 0) {
                        int batch = inboxWarmUp(mesh, mode);
                        for (int m = 0; m < runs; m++) {
                            ProcessCpu before = ProcessCpu.of(mesh.process().pid());
                            double t = inboxRun(mesh, mode, ++batch);
                            ProcessCpu used = ProcessCpu.of(mesh.process().pid()).since(before);
                            double cpu = (double) used.totalMillis() / inboxFiles;
                            System.out.printf("  inbox, %s mode, after the warm-up, batch %d: %d files in %.2f s, %.2f ms CPU per file"
                                    + " (%.0f%% of it JIT)%n", mode, m + 1, inboxFiles, t, cpu, 100 * used.compilerShare());
                            settledRates.add(inboxFiles / t);
                            settledCpu.add(cpu);
                        }
                    }
                } finally {
                    mesh.process().close();
                    FileUtil.removeDir(mesh.home().toFile());
                }
            }
            table.addAll(freshRows, List.of(
                    row("inbox " + inboxFiles + " files, " + mode + " mode, a fresh core: seconds", secs, "%.2f"),
                    row("inbox " + inboxFiles + " files, " + mode + " mode, a fresh core: files/s", rates, "%.0f")));
            table.add(row("inbox " + inboxFiles + " files, " + mode + " mode, after the warm-up: files/s", settledRates, "%.0f"));
            table.add(row("inbox, " + mode + " mode, after the warm-up: mesh CPU ms per file", settledCpu, "%.2f"));
            if (mode.equals("disabled") && !ceilings.isEmpty()) {
                table.add(new String[] {"inbox disabled files/s (after the warm-up) as % of the file queue ceiling",
                    String.format("%.0f%%", 100 * median(settledRates) / median(ceilings)), "", ""});
            }
        }
        if (wanted("storage")) {
            new StorageBench(runs, storageMiB, keys).run()
                    .forEach((name, values) -> table.add(row(name, values, "%.0f")));
        }
        if (!startups.isEmpty()) {
            table.add(row("start-up until all four roles answer (ms)", startups, "%.0f"));
        }
        print();
    }

    /**
     * What the cost ledger costs (SPEC 12: the ledger must keep at least 90% of the rate without it): a
     * second mesh with {@code offgrid.broker.ledger.enabled=false}, warmed up the same way (for at most
     * as long as the first has been under load: {@code warmUpLimit} seconds), then timed
     * runs of 64 clients taken in turn on the mesh with the ledger and on the one without, so a
     * neighbour's load on the machine falls on both alike. Prints both rates and their ratio.
     */
    /**
     * SPEC 12's speed target: two fresh meshes, one with the ledger and one without, warmed up alike
     * (the ledger's mesh until its JIT settles, the other as long), then {@code runs} pairs of 64-client
     * runs in turn, so a neighbour's load falls on both alike.
     */
    private void ledgerOnAndOff(LoadGenerator load) throws IOException {
        MeshUnderTest withLedger = startMesh("auto");
        MeshUnderTest without = startMesh("auto", Map.of("offgrid.broker.ledger.enabled", "false"));
        try {
            double warmed = warmUp(withLedger, load, "ledger on: ", warmUpSeconds);
            if (warmed > 0) {
                load.run("warm-up", 64, warmed, () -> jobRequest(without));
            }
            List<Double> on = new ArrayList<>();
            List<Double> off = new ArrayList<>();
            List<Double> cpuOn = new ArrayList<>();
            List<Double> cpuOff = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                for (MeshUnderTest mesh : List.of(withLedger, without)) {
                    ProcessCpu before = ProcessCpu.of(mesh.process().pid());
                    LoadResult result = load.run("e2e", 64, seconds, () -> jobRequest(mesh));
                    ProcessCpu used = ProcessCpu.of(mesh.process().pid()).since(before);
                    double cpu = result.ok() == 0 ? Double.NaN : (double) used.totalMillis() / result.ok();
                    boolean ledger = mesh == withLedger;
                    (ledger ? on : off).add(result.perSecond());
                    (ledger ? cpuOn : cpuOff).add(cpu);
                    System.out.printf("  end-to-end echo, ledger %s, 64 clients, run %d: %.0f jobs/s, p99 %.1f ms,"
                                    + " mesh CPU %.2f ms per job%s%n", ledger ? "on " : "off", r + 1, result.perSecond(),
                            result.percentileMillis(99), cpu, result.failed() > 0 ? ", " + result.failed() + " failed" : "");
                }
            }
            long entries = ledgerEntries(withLedger);
            System.out.printf("  the ledger holds %d entries after these runs%n", entries);
            table.add(row("e2e jobs/s, 64 clients, ledger on (runs in turn with off)", on, "%.0f"));
            table.add(row("e2e jobs/s, 64 clients, ledger off (offgrid.broker.ledger.enabled=false)", off, "%.0f"));
            table.add(new String[] {"e2e jobs/s with the ledger as % of without (SPEC 12: at least 90%)",
                String.format("%.0f%%", 100 * median(on) / median(off)), "", ""});
            table.add(row("e2e mesh CPU ms per job, ledger on", cpuOn, "%.2f"));
            table.add(row("e2e mesh CPU ms per job, ledger off", cpuOff, "%.2f"));
        } finally {
            for (MeshUnderTest mesh : List.of(withLedger, without)) {
                mesh.process().close();
                FileUtil.removeDir(mesh.home().toFile());
            }
        }
    }

    /** The broker's ledger size, from its public {@code GET /ledger/balances}. */
    /**
     * The attack of issue 24: {@value #FLOOD} connections to the broker, half of them sending nothing,
     * half trickling a request head. How long until the mesh has closed them all (its header timeout
     * and connection limit, at their defaults), whether /status answered meanwhile, and the mesh's
     * resident memory after it.
     */
    private void flood(MeshUnderTest mesh) throws IOException {
        long t0 = System.nanoTime();
        int asked = 0;
        int answered = 0;
        try (IdleConnections connections = IdleConnections.open(mesh.broker(), FLOOD)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (connections.stillOpen() > 0 && System.nanoTime() < deadline) {
                connections.trickle(FLOOD / 2);
                asked++;
                try {
                    answered += IdleConnections.statusOverFreshConnection(mesh.broker()) == 200 ? 1 : 0;
                } catch (IOException e) {
                    // counted as not answered
                }
            }
            int left = connections.stillOpen();
            table.add(new String[] {"flood of " + FLOOD + " idle/trickling connections to the broker: s until the mesh"
                    + " closed them" + (left > 0 ? " (" + left + " still open after 120 s)" : ""),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9), "", ""});
        }
        table.add(new String[] {"flood: broker /status answered during it", answered + " of " + asked, "", ""});
        table.add(new String[] {"mesh resident memory after the flood (MiB)",
            String.format("%.0f", mesh.process().residentKiB() / 1024.0), "", ""});
    }

    private static final int FLOOD = 12_000;

    private long ledgerEntries(MeshUnderTest mesh) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(mesh.broker() + "/ledger/balances"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(answer.body()).path("tree_size").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * End-to-end jobs that are not counted, in slices of {@link #WARM_UP_SLICE_SECONDS}, until the
     * JIT compiler's share of the mesh's CPU in a slice falls under {@link #SETTLED_JIT_SHARE} (the
     * JVM has compiled the job's path) or {@code --warm-up} seconds have passed; the table says which.
     */
    /** Returns the seconds spent; {@code label} prefixes its lines and its row, {@code limit} replaces {@code --warm-up}. */
    double warmUp(MeshUnderTest mesh, LoadGenerator load, String label, double limit) {
        System.out.printf("  %swarm-up: end-to-end jobs until the JIT's share of the mesh's CPU stays under %.0f%% for %.0f s,"
                + " at most %.0f s (the JIT keeps compiling a job's path for minutes)%n", label, 100 * SETTLED_JIT_SHARE,
                WARM_UP_SLICE_SECONDS, limit);
        double spent = 0;
        double share = 1;
        while (spent < limit && share >= SETTLED_JIT_SHARE) {
            double slice = Math.min(WARM_UP_SLICE_SECONDS, limit - spent);
            ProcessCpu before = ProcessCpu.of(mesh.process().pid());
            load.run("warm-up", 64, slice, () -> jobRequest(mesh));
            ProcessCpu used = ProcessCpu.of(mesh.process().pid()).since(before);
            spent += slice;
            share = used.compilerShare();
            System.out.printf("  %swarm-up: %.0f s, JIT %.0f%% of the mesh's CPU in the last %.0f s%n", label, spent, 100 * share, slice);
        }
        table.add(new String[] {label + (share < SETTLED_JIT_SHARE ? "warm-up until the JIT settled (s)" : "warm-up, JIT not settled (s)"),
            String.format("%.0f", spent), "", ""});
        return spent;
    }

    /**
     * Batches of inbox files into {@code mesh} until the JIT's share of the mesh's CPU in a batch falls
     * under {@link #SETTLED_JIT_SHARE} or {@code --warm-up} seconds have passed, as {@link #warmUp} does
     * for the load figures (a batch takes seconds, the JIT minutes); the table says which. Returns the
     * last batch number used (the fresh core's batch is 1).
     */
    private int inboxWarmUp(MeshUnderTest mesh, String mode) throws IOException, InterruptedException {
        int batch = 1;
        double spent = 0;
        double share = 1;
        while (spent < warmUpSeconds && share >= SETTLED_JIT_SHARE) {
            ProcessCpu before = ProcessCpu.of(mesh.process().pid());
            spent += inboxRun(mesh, mode, ++batch);
            ProcessCpu used = ProcessCpu.of(mesh.process().pid()).since(before);
            share = used.compilerShare();
            System.out.printf("  inbox, %s mode, warm-up batch %d: %.0f s in all, JIT %.0f%% of the mesh's CPU%n", mode,
                    batch - 1, spent, 100 * share);
        }
        table.add(new String[] {"inbox, " + mode + " mode: " + (share < SETTLED_JIT_SHARE
                ? "warm-up batches until the JIT settled" : "warm-up batches, JIT not settled"),
            String.valueOf(batch - 1), "", ""});
        return batch;
    }

    /** The first {@code model name} of /proc/cpuinfo, or "unknown CPU" where there is none. */
    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    private boolean wanted(String figure) {
        return only.isEmpty() || only.contains(figure);
    }

    record LoadFigure(String name, int clients, List<LoadResult> results) {
        double median(java.util.function.ToDoubleFunction<LoadResult> f) {
            return Benchmark.median(results.stream().mapToDouble(f).boxed().toList());
        }
    }

    private LoadFigure loadFigure(String name, int clients, MeshUnderTest mesh, LoadGenerator load,
                                  Supplier<LoadGenerator.Request> requests) {
        List<LoadResult> results = new ArrayList<>();
        List<Double> cpuPerRequest = new ArrayList<>();
        List<Double> stoppedPercent = new ArrayList<>();
        List<Double> fullCollections = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Optional<GcPauses> gcBefore = GcPauses.of(mesh.process().pid());
            ProcessCpu before = ProcessCpu.of(mesh.process().pid());
            LoadResult result = load.run(name, clients, seconds, requests);
            ProcessCpu used = ProcessCpu.of(mesh.process().pid()).since(before);
            Optional<GcPauses> gc = GcPauses.of(mesh.process().pid()).flatMap(after -> gcBefore.map(after::since));
            gc.ifPresent(pauses -> {
                stoppedPercent.add(pauses.stoppedPercent(seconds));
                fullCollections.add((double) pauses.full());
            });
            loadCpu = new ProcessCpu(loadCpu.totalMillis() + used.totalMillis(),
                    loadCpu.compilerMillis() + used.compilerMillis());
            double perRequest = result.ok() == 0 ? Double.NaN : (double) used.totalMillis() / result.ok();
            cpuPerRequest.add(perRequest);
            System.out.printf("  %s, %d clients, run %d: %.0f req/s, p99 %.1f ms, mesh CPU %.2f ms per request (%.0f%% of it JIT)%s%n",
                    name, clients, r + 1, result.perSecond(), result.percentileMillis(99), perRequest,
                    used.totalMillis() == 0 ? 0.0 : 100.0 * used.compilerMillis() / used.totalMillis(),
                    gc.map(p -> String.format(", GC: %d young, %d full, stopped %.1f%% of the run", p.young(), p.full(),
                            p.stoppedPercent(seconds))).orElse(""));
            if (result.failed() > 0) {
                System.out.printf("  note: %s had %d non-2xx or failed answers of %d%n", name, result.failed(),
                        result.ok() + result.failed());
            }
            results.add(result);
        }
        LoadFigure figure = new LoadFigure(name, clients, results);
        String label = name + ", " + clients + " clients";
        table.add(row(label + ": req/s", results.stream().map(LoadResult::perSecond).toList(), "%.0f"));
        table.add(row(label + ": p50 ms", results.stream().map(x -> x.percentileMillis(50)).toList(), "%.1f"));
        table.add(row(label + ": p99 ms", results.stream().map(x -> x.percentileMillis(99)).toList(), "%.1f"));
        table.add(row(label + ": mesh CPU ms per request", cpuPerRequest, "%.2f"));
        if (stoppedPercent.size() == runs) {
            table.add(row(label + ": mesh stopped for GC, % of the run", stoppedPercent, "%.1f"));
            table.add(row(label + ": mesh full GCs per run", fullCollections, "%.0f"));
        }
        return figure;
    }

    // --- requests -----------------------------------------------------------------------------

    private LoadGenerator.Request jobRequest(MeshUnderTest mesh) {
        return jobRequest(mesh.core());
    }

    /** One echo job with a job_id of its own, for the core at {@code coreUrl}. */
    static LoadGenerator.Request jobRequest(String coreUrl) {
        byte[] body = ("{\"job_id\":\"bench-" + UUID.randomUUID() + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"bench\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return new LoadGenerator.Request(HttpMethod.POST, coreUrl + "/api/jobs",
                Map.of("Content-Type", "application/json"), body);
    }

    private ObjectNode jobSpec(String jobId) {
        String attemptId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() / 1000 + 300;
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("contract_version", 1).put("job_id", jobId).put("req_uid", UUID.randomUUID().toString())
                .put("attempt_id", attemptId).put("kind", "echo");
        job.putObject("args").put("text", "bench");
        job.put("deadline_ts", deadline).put("claim_token", ClaimToken.compute(keys.signingSecret(), jobId, attemptId, deadline));
        return job;
    }

    private LoadGenerator.Request auctionRequest(MeshUnderTest mesh) {
        String jobId = "bench-" + UUID.randomUUID();
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("job_id", jobId).put("type", "compute").put("size", 0.1).put("latency_ms", 5000);
        request.putObject("constraints").put("max_latency_ms", 5000).put("min_mesh_health", false);
        request.putObject("meta").put("kind", "echo").put("core_version", "v2").putNull("mission_id").putNull("task_id");
        request.set("job", jobSpec(jobId));
        request.put("req_id", UUID.randomUUID().toString());
        return signed(mesh.broker() + "/auction", "/auction", SignedHeaders.BROKER_AUDIENCE, request);
    }

    private LoadGenerator.Request runRequest(MeshUnderTest mesh) {
        String jobId = "bench-" + UUID.randomUUID();
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("job_id", jobId);
        request.set("job", jobSpec(jobId));
        return signed(mesh.hostA() + "/run", "/run", "host-a", request);
    }

    private LoadGenerator.Request signed(String url, String path, String audience, JsonNode body) {
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(body);
            Map<String, String> headers = new LinkedHashMap<>(signer.sign("POST", path, audience, bytes).asMap());
            headers.put("Content-Type", "application/json");
            return new LoadGenerator.Request(HttpMethod.POST, url, headers, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- inbox --------------------------------------------------------------------------------

    /**
     * Writes out what earlier figures left dirty (a deleted mesh home, the job store's writes), so a
     * file figure does not pay for them: on ext4 (data=ordered) every fsync also flushes other files'
     * new data and the deletions of the same journal commit; measured, up to half the ceiling.
     */
    private static void settleDisk() throws InterruptedException {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            System.out.println("  note: could not run sync (" + e.getMessage() + "); file figures may pay for earlier runs' writes");
        }
    }

    /** Seconds until the {@code batch}-th batch of files dropped into the inbox at once is all recorded. */
    private double inboxRun(MeshUnderTest mesh, String mode, int batch) throws IOException, InterruptedException {
        Path staging = mesh.home().resolve("staging");
        Path inbox = mesh.home().resolve("inbox");
        Files.createDirectories(staging);
        Files.createDirectories(inbox);
        List<Path> files = new ArrayList<>(inboxFiles);
        for (int i = 0; i < inboxFiles; i++) {
            Path f = staging.resolve("job-" + batch + "-" + i + ".json");
            Files.writeString(f, "{\"job_id\":\"inbox-" + i + "-" + UUID.randomUUID()
                    + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"file " + i + "\"}}");
            files.add(f);
        }
        long t0 = System.nanoTime();
        for (Path f : files) {
            Files.move(f, inbox.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long expected = (long) inboxFiles * batch;
        while (recorded(mesh) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("inbox run in " + mode + " mode: only " + recorded(mesh) + " of "
                        + expected + " jobs recorded after 10 minutes");
            }
            Thread.sleep(100); // the probe stays light beside the work it measures
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The core's job store file after the load, and its bytes per recorded job: the file keeps every
     * job, so under load it must grow with the jobs, not with the commits (docs/core.md).
     */
    private void addJobStoreSize(MeshUnderTest mesh) throws IOException, InterruptedException {
        Path file = JobDatabase.file(mesh.home().resolve("state/core")); // offgrid.core.state-dir as shipped
        long jobs = recorded(mesh);
        if (jobs > 0 && Files.exists(file)) {
            long bytes = Files.size(file);
            table.add(new String[] {"core job store file after the load: MiB (bytes per job)",
                String.format("%.0f (%d)", bytes / 1048576.0, bytes / jobs), "", ""});
        }
    }

    /** Jobs that reached an outcome (completed, failed or queued), from the core's /api/status counts. */
    private long recorded(MeshUnderTest mesh) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(mesh.core() + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode counts = Json.mapper().readTree(response.body()).path("jobs");
        return counts.path("completed").asLong() + counts.path("failed").asLong() + counts.path("queued").asLong();
    }

    // --- the mesh under test ------------------------------------------------------------------

    record MeshUnderTest(RoleProcess process, MeshLayout layout) {
        Path home() {
            return layout.home();
        }

        String core() {
            return layout.core();
        }

        String broker() {
            return layout.broker();
        }

        String hostA() {
            return layout.hostA();
        }
    }

    private MeshUnderTest startMesh(String mode) throws IOException {
        return startMesh(mode, Map.of());
    }

    MeshUnderTest startMesh(String mode, Map<String, String> extraSettings) throws IOException {
        MeshLayout layout = MeshLayout.onFreePorts(Files.createTempDirectory("offgrid-bench-"));
        Map<String, String> settings = new java.util.HashMap<>(meshSettings(layout, mode));
        settings.putAll(extraSettings);
        RoleProcess process = RoleProcess.start("mesh", layout.home(), "mesh", settings,
                meshEnvironment(), layout.statusUrls(), meshJvm);
        return new MeshUnderTest(process, layout);
    }

    AuthKeys keys() {
        return keys;
    }

    /** The child mesh's settings ({@code --set}, on its command line): its layout and mode, no secret. */
    Map<String, String> meshSettings(MeshLayout layout, String mode) {
        Map<String, String> settings = new java.util.HashMap<>(layout.settings(mode));
        settings.remove(Settings.HOME);
        return settings;
    }

    /**
     * The keys this benchmark signs with, as variables of the child mesh: they win over a {@code .env}
     * and over the variables it inherits, and unlike {@code --set} they do not show in {@code ps}.
     */
    Map<String, String> meshEnvironment() {
        return Map.of(Settings.environmentName("offgrid.auth-key"), keys.signingSecret(),
                Settings.environmentName("offgrid.auth-keys"), "",
                Settings.environmentName("offgrid.auth-key-id"), keys.signingKeyId());
    }

    // --- the table ----------------------------------------------------------------------------

    int runs() {
        return runs;
    }

    double seconds() {
        return seconds;
    }

    double warmUpSeconds() {
        return warmUpSeconds;
    }

    List<String> meshJvm() {
        return meshJvm;
    }

    List<String[]> table() {
        return table;
    }

    static String[] row(String name, List<Double> values, String format) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new String[] {name, String.format(format, median(values)), String.format(format, sorted[0]),
                String.format(format, sorted[sorted.length - 1])};
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private void print() {
        int w = table.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        String format = "%-" + w + "s | %10s | %10s | %10s%n";
        System.out.println();
        System.out.printf(format, "figure", "median", "min", "max");
        System.out.println("-".repeat(w + 39));
        for (String[] r : table) {
            System.out.printf(format, (Object[]) r);
        }
    }
}
