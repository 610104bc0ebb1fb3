package com.sheratan.offgrid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One role (or the whole mesh) as a separate operating-system process, for benchmarks and fault
 * drills that must kill a role for real. Started from this JVM's own class path, logging to
 * {@code <home>/logs/<name>.log}.
 */
public final class RoleProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final long startupMillis;

    private RoleProcess(String name, Process process, Path log, long startupMillis) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startupMillis = startupMillis;
    }

    /**
     * Starts {@code App <command> --home <home> --set k=v …} and waits until every status URL answers 200.
     *
     * @param command     {@code mesh}, {@code core}, {@code broker} or {@code host}
     * @param environment variables set for the child on top of this process's own: the place for
     *                    secrets, which on the command line anyone on the machine could read in {@code ps}
     * @param statusUrls  what must answer before the process counts as started
     */
    public static RoleProcess start(String name, Path home, String command, Map<String, String> settings,
                                    Map<String, String> environment, List<String> statusUrls, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add("com.sheratan.offgrid.App");
        cmd.add(command);
        cmd.add("--home");
        cmd.add(home.toString());
        settings.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        try {
            Files.createDirectories(home.resolve("logs"));
            Path log = home.resolve("logs").resolve(name + ".log");
            long t0 = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            awaitStatus(name, process, log, statusUrls);
            return new RoleProcess(name, process, log, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * The child's class path, every entry absolute (the child runs in another working folder): the
     * product's own when {@code offgrid.product-classpath} names it (bin/benchmark.sh names the jar, so
     * the child matches the class archive recorded from it), else this JVM's.
     */
    private static String absoluteClassPath() {
        String classPath = System.getProperty("offgrid.product-classpath", System.getProperty("java.class.path"));
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static void awaitStatus(String name, Process process, Path log, List<String> urls) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String url : urls) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited during start-up (code " + process.exitValue()
                            + "); last log lines:\n" + tail(log));
                }
                if (answers(http, url)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " did not answer " + url + " within 60 s:\n" + tail(log));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static boolean answers(HttpClient http, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public long startupMillis() {
        return startupMillis;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory of the process in KiB, from /proc (Linux). */
    public long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: a clean stop. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
