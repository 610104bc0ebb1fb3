package com.sheratan.offgrid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of its own for a test class: a fresh cluster made by the machine's
 * {@code initdb} in a temporary folder and started by {@code pg_ctl} on a free loopback port (never any
 * other address; its socket in that folder too). The server binaries come from Debian's {@code postgresql}
 * package, which {@code .ci/run} installs. PostgreSQL refuses to run as root: a test run as root (CI)
 * runs the server as the {@code postgres} user the package made. Each {@link #newDatabase()} is empty.
 * {@link #kill()} stops the server as a crash would, {@link #start()} brings it back on the same port.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String USER = "offgrid";
    private static final String SERVER_USER = "postgres";
    private static final long TIMEOUT_S = 60;

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final int port;
    private final boolean root;
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(Path bin, Path folder, int port, boolean root) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.root = root;
    }

    /** A new cluster, started. {@code fsync} off: a test needs no durability against power loss, only speed. */
    public static TestPostgres start(boolean fsync) {
        try {
            Path folder = Files.createTempDirectory("offgrid-pg");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                UserPrincipal owner = folder.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SERVER_USER);
                Files.setOwner(folder, owner);
            }
            TestPostgres server = new TestPostgres(binaries(), folder, Ports.free(), root);
            server.run(List.of(server.bin.resolve("initdb").toString(), "-D", server.data.toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            Files.writeString(server.data.resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nport = "
                    + server.port + "\nunix_socket_directories = '" + folder + "'\nfsync = " + (fsync ? "on" : "off")
                    + "\nmax_connections = 200\n", java.nio.file.StandardOpenOption.APPEND);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest PostgreSQL of Debian's layout, else the initdb on the PATH. */
    private static Path binaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("no PostgreSQL server here (initdb not found): apt-get install -y postgresql");
    }

    /** Starts (again) the cluster, waiting until it takes connections. */
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("server.log")
                .toString(), "-w", "-t", String.valueOf(TIMEOUT_S), "start"));
    }

    /** Stops the server at once, as a crash: no checkpoint, clients cut off. */
    public void kill() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    public int port() {
        return port;
    }

    /** A new, empty database; answers its JDBC URL. */
    public String newDatabase() {
        String name = "offgrid_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("pg_ctl.out").toFile()).start();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + Files.readString(folder.resolve("pg_ctl.out")) + tail(folder.resolve("server.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String tail(Path log) throws IOException {
        return Files.exists(log) ? "\n" + Files.readString(log) : "";
    }

    /** Stops the server and removes its folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind costs nothing but space
            }
        }
    }
}
