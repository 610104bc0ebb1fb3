package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.FormattedLoggerFactory;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Parses the command line, starts the chosen role (or the whole mesh) and waits for Ctrl-C. */
public final class CommandLine {
    static final String USAGE = """
            usage: java -jar target/sheratan-offgrid.jar [mesh|core|broker|host|mesh-host|selfcheck] [options]
              mesh      [--home DIR] [--hosts N] [--set k=v]
                                                    core, broker, host-a and host-b in one process (the default);
                                                    --hosts N: N hosts (host-c, host-d, ... on the ports after host-b's)
              core      [--port 8001] [--home DIR] [--set k=v]
              broker    [--port 9000] [--home DIR] [--set k=v]
              host      [--port 8081] [--node-id host-a] [--home DIR] [--set k=v]
              mesh-host host-a|host-b [--port N] [--home DIR] [--set k=v]
                                                    one host of the local mesh, with the settings the mesh
                                                    gives it (host-b: prices x offgrid.mesh.host-b-price-factor)
              selfcheck [--set k=v]                 a private mesh on free ports runs one job, then stops
              restore   [--home DIR] [--set k=v]    rebuilds a lost core's object index and job store from the
                                                    mesh (same storage key; the broker must run; docs/storage.md)
              ledger    verify [--home DIR | --url BROKER_URL]
                        audit --host-home DIR --node-id ID --url BROKER_URL
                                                    checks the broker's cost ledger (see ledger --help)
            options: --home DIR (working folder for inbox/, webrelay_out/, discovery/, data/, state/)
                     --set key=value (any setting of application.properties)""";

    /** The options each command takes; any other is refused, so nothing is silently ignored. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "mesh", List.of("--home", "--set", "--hosts"),
            "core", List.of("--port", "--home", "--set"),
            "broker", List.of("--port", "--home", "--set"),
            "host", List.of("--port", "--node-id", "--home", "--set"),
            "mesh-host", List.of("--port", "--home", "--set"),
            // a private mesh in a temporary folder on free ports: a home or port would be ignored
            "selfcheck", List.of("--set"),
            "restore", List.of("--home", "--set"));

    private CommandLine() {
    }

    public static int run(String[] args) {
        if (args.length > 0 && args[0].equals("ledger")) {
            List<String> rest = List.of(args).subList(1, args.length);
            if (rest.contains("--help") || rest.contains("-h")) {
                System.out.println(LedgerCommand.USAGE);
                return 0;
            }
            return new LedgerCommand(System.out, System.err).run(rest);
        }
        final Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (invocation == null) {
            System.out.println(USAGE);
            return 0;
        }
        if (invocation.command().equals("restore")) {
            return RestoreCommand.run(invocation.overrides(), System.out, System.err);
        }
        if (invocation.command().equals("selfcheck")) {
            try {
                return SelfCheck.run(invocation.overrides());
            } catch (Exception e) {
                System.err.println("selfcheck FAILED: " + e.getMessage());
                return 1;
            }
        }
        try {
            waitForShutdown(start(invocation));
            return 0;
        } catch (RoleStartException | IllegalStateException e) {
            if (FormattedLoggerFactory.writesJson()) {
                // the last word of a process whose whole output is JSON lines is one too
                com.sheratan.offgrid.config.EscapingLogger.of(CommandLine.class).error("error: {}", e.getMessage());
            } else {
                System.err.println("error: " + e.getMessage());
            }
            return 1;
        }
    }

    /** Starts what the invocation names: the mesh, one role, or one host of the mesh. */
    static AutoCloseable start(Invocation invocation) {
        Settings settings = Settings.load(invocation.overrides());
        FormattedLoggerFactory.apply(settings.get(FormattedLoggerFactory.SETTING), invocation.command());
        return switch (invocation.command()) {
            case "mesh" -> startMesh(settings);
            case "mesh-host" -> RoleLauncher.start(Role.HOST, Mesh.host(invocation.meshHost(), settings));
            default -> RoleLauncher.start(Role.valueOf(invocation.command().toUpperCase(java.util.Locale.ROOT)), settings);
        };
    }

    private static Mesh startMesh(Settings settings) {
        Mesh mesh = Mesh.start(settings);
        StringBuilder banner = new StringBuilder("\nSheratan Offgrid local mesh is up (OFFGRID_MODE=")
                .append(settings.get("offgrid.mode")).append(")\n");
        for (RunningRole role : mesh.roles()) {
            banner.append(String.format("  %-7s %s%n", role.name(), role.baseUrl()));
        }
        String core = mesh.role("core").baseUrl();
        banner.append("\nSubmit a job:\n  curl -s -X POST ").append(core)
                .append("/api/jobs -H 'Content-Type: application/json' -d '{\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}'\n")
                .append("Job status:   curl -s ").append(core).append("/api/jobs/<job_id>\n")
                .append("Mesh status:  curl -s ").append(core).append("/api/status\n")
                .append("Stop with Ctrl-C.\n");
        if ("json".equalsIgnoreCase(settings.get(FormattedLoggerFactory.SETTING).strip())) {
            // with JSON logs the whole output is JSON lines, for a collector that reads both streams
            com.sheratan.offgrid.config.EscapingLogger.of(CommandLine.class).info(banner.toString().strip());
        } else {
            System.out.println(banner);
        }
        return mesh;
    }

    private static void waitForShutdown(AutoCloseable running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "offgrid-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param meshHost for {@code mesh-host}: which of {@link Mesh#HOSTS}; otherwise {@code null} */
    record Invocation(String command, String meshHost, Map<String, String> overrides) {
    }

    static Invocation parse(String[] args) {
        List<String> list = List.of(args);
        String command = "mesh";
        int i = 0;
        if (!list.isEmpty() && !list.get(0).startsWith("--")) {
            command = list.get(0);
            i = 1;
        }
        if (command.equals("help") || list.contains("--help") || list.contains("-h")) {
            return null;
        }
        List<String> options = OPTIONS.get(command);
        if (options == null) {
            throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        String meshHost = null;
        if (command.equals("mesh-host")) {
            if (i >= list.size() || !Mesh.HOSTS.contains(list.get(i))) {
                throw new IllegalArgumentException("mesh-host needs the name of a mesh host, one of " + Mesh.HOSTS
                        + (i < list.size() ? ", got '" + list.get(i) + "'" : ""));
            }
            meshHost = list.get(i++);
        }
        Map<String, String> overrides = new HashMap<>();
        for (; i < list.size(); i++) {
            String option = list.get(i);
            if (OPTIONS.values().stream().noneMatch(taken -> taken.contains(option))) {
                throw new IllegalArgumentException("unknown option '" + option + "'");
            }
            if (!options.contains(option)) {
                throw new IllegalArgumentException(command + " does not take " + option
                        + "; its options are " + String.join(", ", options));
            }
            if (i + 1 >= list.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = list.get(++i);
            switch (option) {
                case "--port" -> overrides.put(portKey(command, meshHost), requirePort(value));
                case "--node-id" -> overrides.put("offgrid.host.node-id", value);
                case "--home" -> overrides.put(Settings.HOME, value);
                case "--hosts" -> overrides.put(Mesh.HOST_COUNT, requireHostCount(value));
                default -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set takes key=value, got '" + value + "'");
                    }
                    overrides.put(value.substring(0, eq), value.substring(eq + 1));
                }
            }
        }
        return new Invocation(command, meshHost, overrides);
    }

    /** A mesh host's port is the mesh's port setting for it, which {@link Mesh#host} reads. */
    private static String portKey(String command, String meshHost) {
        return meshHost != null ? "offgrid.mesh." + meshHost + "-port" : "offgrid." + command + ".port";
    }

    private static String requireHostCount(String value) {
        try {
            int count = Integer.parseInt(value);
            if (count < 1 || count > Mesh.MAX_HOSTS) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hosts takes a number from 1 to " + Mesh.MAX_HOSTS + ", got '" + value + "'");
        }
    }

    private static String requirePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port takes a number from 1 to 65535, got '" + value + "'");
        }
    }
}
