package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The core's web dashboard (SPEC 14): the page and every asset it uses under {@code /ui/}, read from
 * the jar once (the plot library from its webjar, so nothing comes from the internet), and the live
 * event stream {@code GET /api/events} (server-sent events). Both sit on the core's own HTTP server,
 * mounted once it runs; the JSON the page reads comes from the core's routes ({@code /api/...}).
 * <p>
 * Events: {@code rates} at connect (jobs per second and mean dispatch latency, last 5 minutes), then
 * {@code job} for each job outcome and {@code tick} every second (the newest seconds of the rates,
 * the jobs per status).
 */
public final class Dashboard implements StartupListener {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final long TICK_MS = 1000;
    private static final long DRAIN_MS = 250;
    private static final int HISTORY_SECONDS = 300;

    private final JobEvents events;
    private final JobRates rates;
    private final JobLookup jobs;
    private final Map<String, Asset> assets = new LinkedHashMap<>();

    private record Asset(String contentType, Buffer bytes) {
    }

    /**
     * The API tokens /api/events checks itself: it is a Vert.x route, not a Camel one (see ApiTokenGate).
     * It takes a bearer token, or a ticket from {@code POST /api/events/ticket} for a browser's EventSource.
     */
    private final ApiTokens apiTokens;
    private final EventTickets tickets;

    public Dashboard(JobEvents events, JobRates rates, JobLookup jobs, ApiTokens apiTokens, EventTickets tickets) {
        this.events = events;
        this.rates = rates;
        this.jobs = jobs;
        this.apiTokens = apiTokens;
        this.tickets = tickets;
        asset("index.html", "ui/index.html", "text/html; charset=utf-8");
        asset("dashboard.js", "ui/dashboard.js", "text/javascript; charset=utf-8");
        asset("dashboard.css", "ui/dashboard.css", "text/css; charset=utf-8");
        asset("vendor/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
        asset("vendor/uPlot.min.css", UPLOT + "uPlot.min.css", "text/css; charset=utf-8");
    }

    private void asset(String path, String resource, String contentType) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard asset " + resource + " is not in the jar");
            }
            assets.put(path, new Asset(contentType, Buffer.buffer(in.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard asset " + resource, e);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // mounted once the HTTP server runs: see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port")
                .orElseThrow(() -> new IllegalStateException("camel.server.port is not set")));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("the HTTP router of port " + port + " is not in the registry");
        }
        mount(router);
    }

    private void mount(Router router) {
        router.get("/ui/*").handler(this::serveAsset);
        router.get("/api/events").handler(this::stream);
    }

    private void serveAsset(RoutingContext ctx) {
        if (ctx.request().path().equals("/ui")) {
            ctx.response().setStatusCode(302).putHeader("Location", "/ui/").end();
            return;
        }
        String path = ctx.request().path().substring("/ui/".length());
        Asset asset = assets.get(path.isEmpty() ? "index.html" : path);
        if (asset == null) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"not_found\",\"detail\":\"no dashboard asset /ui/" + path.replace("\"", "") + "\"}");
            return;
        }
        ctx.response().putHeader("Content-Type", asset.contentType()).putHeader("Cache-Control", "no-cache")
                .end(asset.bytes());
    }

    private void stream(RoutingContext ctx) {
        java.util.Optional<String> refused = apiTokens.check(ctx.request().getHeader("Authorization"));
        String ticket = ctx.request().getParam("ticket");
        if (refused.isPresent() && ticket != null) {
            refused = tickets.redeem(ticket) ? java.util.Optional.empty() : java.util.Optional.of("bad_ticket");
        }
        if (refused.isPresent()) {
            ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", ApiTokenGate.CHALLENGE)
                    .end("{\"error\":\"" + refused.get() + "\"}");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        JobEvents.Subscriber subscriber = events.subscribe();
        response.write("retry: 2000\n\n" + event("rates", rates.lastSeconds(HISTORY_SECONDS)));
        long[] ticks = {0};
        long timer = ctx.vertx().setPeriodic(DRAIN_MS, id -> {
            StringBuilder out = new StringBuilder();
            for (String job = subscriber.poll(); job != null; job = subscriber.poll()) {
                out.append("event: job\ndata: ").append(job).append("\n\n");
            }
            if (++ticks[0] % (TICK_MS / DRAIN_MS) == 0) {
                ObjectNode tick = Json.object();
                tick.set("rates", rates.lastSeconds(5));
                ObjectNode counts = tick.putObject("jobs");
                jobs.countsByStatus().forEach((status, count) -> counts.put(status.value(), count));
                out.append(event("tick", tick));
            }
            if (!out.isEmpty() && !response.closed()) {
                response.write(out.toString());
            }
        });
        response.closeHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            events.unsubscribe(subscriber);
        });
    }

    private static String event(String name, Object data) {
        return "event: " + name + "\ndata: " + Json.mapper().valueToTree(data).toString() + "\n\n";
    }
}
