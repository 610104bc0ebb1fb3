package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;

/**
 * The user's own YAML routes from {@code offgrid.core.user-routes-dir} (SPEC 14), loaded one file at a
 * time once the core's own routes run: a file that does not parse or does not start is logged with its
 * name and the reason, its routes are taken out again, and everything else keeps running. Changes while
 * the core runs are Camel's route reloading (camel.main.routes-reload-*, set by the launcher).
 */
public final class UserRoutes implements StartupListener {
    private static final Logger LOG = EscapingLogger.of(UserRoutes.class);
    private final Path folder;

    public UserRoutes(Path folder) {
        this.folder = folder;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes are added once everything runs: see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("user routes: cannot read {} ({}): no user routes loaded", folder, e.getMessage());
            return;
        }
        for (Path file : files) {
            load(context, file);
        }
        LOG.info("user routes: {} file(s) in {}, reloaded when they change", files.size(), folder);
    }

    private static void load(CamelContext context, Path file) {
        Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            LOG.info("user routes: loaded {}", file.getFileName());
        } catch (Exception e) {
            LOG.error("user routes: {} not loaded: {}", file.getFileName(), reason(e));
            removeRoutesOf(context, resource);
        }
    }

    /** A file whose routes half started leaves none behind. */
    private static void removeRoutesOf(CamelContext context, Resource resource) {
        for (Route route : List.copyOf(context.getRoutes())) {
            Resource source = route.getSourceResource();
            if (source != null && resource.getLocation().equals(source.getLocation())) {
                try {
                    context.getRouteController().stopRoute(route.getRouteId());
                    context.removeRoute(route.getRouteId());
                } catch (Exception e) {
                    LOG.warn("user routes: cannot remove route {} of {}: {}", route.getRouteId(),
                            resource.getLocation(), e.getMessage());
                }
            }
        }
    }

    static String reason(Throwable e) {
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && why.indexOf(message) < 0) {
                why.append(why.isEmpty() ? "" : ": ").append(message.lines().findFirst().orElse(""));
            }
        }
        return why.isEmpty() ? e.getClass().getSimpleName() : why.toString();
    }
}
