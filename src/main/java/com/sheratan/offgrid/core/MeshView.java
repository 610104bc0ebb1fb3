package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.camel.Exchange;

/**
 * What the dashboard shows beside the jobs (SPEC 14): the hosts as the broker sees them with what each
 * announces (kinds, prices), the recent auctions, and the file queue. Read when the page asks, never on
 * a job's path.
 */
public final class MeshView {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final String brokerUrl;
    private final CoreMode mode;
    private final Path fileQueueDir;
    private final RecentAuctions auctions;
    private final HttpClient client;

    /** {@code tls}: the mesh's CA to verify https:// broker and hosts with (offgrid.tls.ca-file); null = none set. */
    public MeshView(String brokerUrl, CoreMode mode, Path fileQueueDir, RecentAuctions auctions,
                    javax.net.ssl.SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
        this.brokerUrl = brokerUrl;
        this.mode = mode;
        this.fileQueueDir = fileQueueDir;
        this.auctions = auctions;
    }

    /** {@code GET /api/mesh/hosts}: the broker's {@code /hosts}, each with its {@code /announce}. */
    public void hosts(Exchange exchange) {
        ObjectNode body = Json.object();
        body.put("mode", mode.value());
        body.put("broker_url", brokerUrl);
        if (mode == CoreMode.DISABLED) {
            body.put("detail", "OFFGRID_MODE=disabled: the broker is not used");
            body.putArray("hosts");
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        }
        JsonNode known = get(brokerUrl + "/hosts").join();
        if (known == null) {
            body.put("detail", "the broker at " + brokerUrl + " did not answer GET /hosts");
            body.putArray("hosts");
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        }
        ArrayNode list = body.putArray("hosts");
        List<CompletableFuture<JsonNode>> announces = new ArrayList<>();
        known.path("hosts").forEach(host -> announces.add(get(host.path("host").asText() + "/announce")));
        int i = 0;
        for (JsonNode host : known.path("hosts")) {
            ObjectNode item = ((ObjectNode) host).deepCopy();
            JsonNode announce = announces.get(i++).join();
            item.set("kinds", announce == null ? null : announce.get("kinds"));
            item.set("prices", announce == null ? null : announce.get("prices"));
            list.add(item);
        }
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }

    /** {@code GET /api/auctions}: the last auctions the broker reported, newest first. */
    public void auctions(Exchange exchange) {
        JsonAnswer.ok(auctions.toJson()).writeTo(exchange.getMessage());
    }

    /** {@code GET /api/file-queue}: how many jobs wait for the local worker, and the oldest of them. */
    public void fileQueue(Exchange exchange) throws IOException {
        ObjectNode body = Json.object();
        body.put("folder", fileQueueDir.getFileName().toString());
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileQueueDir)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".job.json")
                    && !f.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            body.putNull("depth");
            body.put("detail", "cannot read " + fileQueueDir + ": " + e.getMessage());
            JsonAnswer.ok(body).writeTo(exchange.getMessage());
            return;
        }
        body.put("depth", files.size());
        Path oldest = files.stream().min(Comparator.comparingLong(MeshView::modified)).orElse(null);
        if (oldest == null) {
            body.putNull("oldest");
        } else {
            ObjectNode item = body.putObject("oldest");
            String name = oldest.getFileName().toString();
            item.put("job_id", name.substring(0, name.length() - ".job.json".length()));
            item.put("since", Instant.ofEpochMilli(modified(oldest)).toString());
        }
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private CompletableFuture<JsonNode> get(String url) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(null);
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            try {
                return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
            } catch (IOException e) {
                return null;
            }
        }).exceptionally(e -> null);
    }
}
