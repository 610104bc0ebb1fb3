package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.MeshTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import com.sheratan.offgrid.config.FormattedLoggerFactory;
import com.sheratan.offgrid.config.LogContext;
import com.sheratan.offgrid.config.RootCause;
import org.apache.camel.main.Main;
import org.slf4j.MDC;
import org.slf4j.Logger;

/**
 * Starts one role as its own Camel context: the role's YAML routes, its beans, its HTTP server.
 * Several roles may run in one JVM (the local mesh) because each gets its own context and port.
 */
public final class RoleLauncher {
    private static final Logger LOG = EscapingLogger.of(RoleLauncher.class);
    static final String MAX_REQUEST_BYTES = "offgrid.max-request-bytes";
    static final String MAX_OBJECT_BYTES = "offgrid.storage.max-object-bytes";
    /** What a shard may carry beyond the object it is cut from: the AES-GCM tag, and room for a manifest. */
    static final long SHARD_OVERHEAD_BYTES = 65536;

    private RoleLauncher() {
    }

    public static RunningRole start(Role role, Settings settings) {
        String bindHost = settings.get("offgrid.bind-host");
        int port = settings.getInt(role.portKey());
        String name = role == Role.HOST ? settings.get("offgrid.host.node-id") : role.id();
        ensurePortFree(name, bindHost, port);

        Main main = new Main();
        main.setOverrideProperties(camelProperties(role, settings));
        role.configurations().forEach(main.configure()::addConfiguration);
        main.configure().addConfiguration(new HttpFront(name, new ConnectionGuard(name, settings),
                new BodyLimit(settings.getLong(MAX_REQUEST_BYTES), storagePaths(role)),
                new StorageBodies(storagePaths(role))));
        // the role's log lines name it: this thread while it starts, and the threads it makes meanwhile
        MDC.put(LogContext.ROLE, name);
        try {
            main.start();
        } catch (Exception e) {
            stopQuietly(main);
            throw new RoleStartException(name + " failed to start: " + RootCause.message(e), e);
        } finally {
            MDC.remove(LogContext.ROLE);
        }
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            stopQuietly(main);
            throw new RoleStartException(name + " failed to start (see the log above)");
        }
        try {
            answerOversizedBodiesAsJson(main.getCamelContext(), port, maxBodyBytes(role, settings));
        } catch (RuntimeException e) {
            stopQuietly(main);
            throw e;
        }
        String scheme = servesTls(settings) ? "https" : "http";
        LOG.info("{} listening on {}://{}:{}", name, scheme, bindHost, port);
        return new RunningRole(role, name, scheme, bindHost, port, main);
    }

    /** What a role's Camel main is given: the settings, and the role's name, routes and HTTP server. */
    public static Map<String, Object> camelProperties(Role role, Settings settings) {
        String bindHost = settings.get("offgrid.bind-host");
        int port = settings.getInt(role.portKey());
        String name = role == Role.HOST ? settings.get("offgrid.host.node-id") : role.id();
        Map<String, Object> props = new java.util.LinkedHashMap<>(settings.asMap());
        props.put("offgrid.role", role.id());
        props.put("offgrid.role-name", name);
        props.put("camel.main.name", name);
        if ("json".equalsIgnoreCase(settings.get(FormattedLoggerFactory.SETTING).strip())) {
            // JSON log lines name the role (the context's name) and the exchange's job_id and req_id;
            // Camel clears those when the exchange is done. Off with text logs: it costs on every exchange
            props.put("camel.main.use-mdc-logging", "true");
            props.put("camel.main.mdc-logging-keys-pattern", LogContext.EXCHANGE_KEYS);
        }
        props.put("camel.main.routes-include-pattern", role.routesPattern());
        props.put("camel.server.enabled", "true");
        props.put("camel.server.host", bindHost);
        props.put("camel.server.port", String.valueOf(port));
        // /observe/health and /observe/metrics on the role's own port (the management server reuses it)
        props.put("camel.management.host", bindHost);
        props.put("camel.management.port", String.valueOf(port));
        if (role == Role.CORE) {
            userRoutesReload(props, settings);
        }
        // the HTTP server refuses a larger body with 413 while reading it, before it is buffered whole
        props.put("camel.server.maxBodySize", String.valueOf(maxBodyBytes(role, settings)));
        // HTTPS with the parameters security.TlsConfiguration makes from offgrid.tls.cert-file and key-file
        props.put("camel.server.useGlobalSslContextParameters", String.valueOf(servesTls(settings)));
        return props;
    }

    /**
     * The largest body the role's HTTP server reads: {@code offgrid.max-request-bytes}, or for the
     * storage paths of core and host (objects and shards, SPEC 13) {@code offgrid.storage.max-object-bytes}
     * plus what a shard adds, when that is larger. {@link BodyLimit} keeps every other path at the first.
     */
    public static long maxBodyBytes(Role role, Settings settings) {
        long requests = settings.getLong(MAX_REQUEST_BYTES);
        if (storagePaths(role).isEmpty()) {
            return requests;
        }
        return Math.max(requests, settings.getLong(MAX_OBJECT_BYTES) + SHARD_OVERHEAD_BYTES);
    }

    /** The path prefixes whose bodies are objects or shards, which may be larger than other requests. */
    static java.util.List<String> storagePaths(Role role) {
        return switch (role) {
            case CORE -> java.util.List.of("/api/objects/");
            case HOST -> java.util.List.of("/shards/");
            case BROKER -> java.util.List.of();
        };
    }

    private static boolean servesTls(Settings settings) {
        return !settings.get(MeshTls.CERT_FILE, "").isBlank();
    }

    /**
     * Camel's YAML route reloading watches the core's user routes folder (SPEC 14). Only routes of a
     * changed file are replaced: the core's own routes are never removed by a reload.
     */
    private static void userRoutesReload(Map<String, Object> props, Settings settings) {
        Path folder = settings.path("offgrid.core.user-routes-dir");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            LOG.warn("cannot create the user routes folder {} ({}): no user routes", folder, e.getMessage());
            return;
        }
        props.put("camel.main.routes-reload-enabled", "true");
        props.put("camel.main.routes-reload-directory", folder.toAbsolutePath().toString());
        props.put("camel.main.routes-reload-directory-recursive", "false");
        props.put("camel.main.routes-reload-pattern", "*.yaml");
        props.put("camel.main.routes-reload-remove-all-routes", "false");
    }

    /**
     * The HTTP server stops reading a body over {@code offgrid.max-request-bytes} and fails the request
     * with 413; this answers it as every other refusal is answered, {@code {error, detail}} in JSON.
     */
    public static void answerOversizedBodiesAsJson(CamelContext camelContext, int port, long maxBytes) {
        String body = Json.mapper().createObjectNode().put("error", "payload_too_large")
                .put("detail", "the request body is over " + maxBytes + " bytes (" + MAX_REQUEST_BYTES + ")").toString();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camelContext,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new RoleStartException("the HTTP router of port " + port + " is not in the registry");
        }
        router.route().failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().ended()) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .end(body);
            } else {
                context.next();
            }
        });
    }

    private static void ensurePortFree(String name, String bindHost, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindHost, port));
        } catch (IOException e) {
            throw new RoleStartException(name + " cannot listen on " + bindHost + ":" + port
                    + ": port " + port + " is already in use (" + e.getMessage() + ")");
        }
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (Exception ignored) {
            // the start failure is the error worth reporting
        }
    }

}
