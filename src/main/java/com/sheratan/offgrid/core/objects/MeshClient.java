package com.sheratan.offgrid.core.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;

/** The core's storage calls to the broker: signed {@code POST /placement}, and the hosts it knows ({@code GET /hosts}). */
final class MeshClient {
    /** A host chosen for a shard, or known to the broker. */
    record MeshHost(String host, String nodeId) {
    }

    /** The broker's answer to a placement: the hosts, or why not ({@code need}/{@code have} for not_enough_hosts). */
    record Placement(List<MeshHost> hosts, int status, String error, int need, int have) {
        boolean placed() {
            return status == 200;
        }
    }

    private final HttpClient http;
    private final RequestSigner signer;
    private final URI broker;
    private final Duration timeout;

    MeshClient(String brokerUrl, RequestSigner signer, Duration timeout, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.signer = signer;
        this.broker = URI.create(brokerUrl.replaceAll("/+$", ""));
        this.timeout = timeout;
    }

    Placement place(String objectId, int shards, long shardBytes, Collection<String> exclude) {
        ObjectNode body = Json.object();
        body.put("object_id", objectId);
        body.put("shards", shards);
        body.put("shard_bytes", shardBytes);
        body.set("exclude", Json.mapper().valueToTree(exclude));
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        URI uri = URI.create(broker + "/placement");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Content-Type", "application/json");
        signer.sign("POST", uri.getRawPath(), SignedHeaders.BROKER_AUDIENCE, bytes).asMap().forEach(request::header);
        JsonNode answer;
        int status;
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            answer = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            return new Placement(List.of(), 0, "broker_unreachable", shards, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Placement(List.of(), 0, "interrupted", shards, 0);
        }
        if (status != 200 || answer == null) {
            String error = answer == null ? "broker_error" : answer.path("error").asText("broker_error");
            return new Placement(List.of(), status, error, answer == null ? shards : answer.path("need").asInt(shards),
                    answer == null ? 0 : answer.path("have").asInt(0));
        }
        List<MeshHost> hosts = new ArrayList<>();
        answer.path("hosts").forEach(h -> hosts.add(new MeshHost(h.path("host").asText(), h.path("node_id").asText())));
        return new Placement(hosts, 200, null, shards, hosts.size());
    }

    private String nodeIdOf(String host) throws InterruptedException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(host + "/status"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode status = response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
            return status != null && status.hasNonNull("node_id") ? status.get("node_id").asText() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The hosts the broker knows, and whether each is active; empty when the broker does not answer. */
    List<MeshHost> hosts(boolean activeOnly) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(broker + "/hosts"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            List<MeshHost> hosts = new ArrayList<>();
            if (response.statusCode() == 200) {
                for (JsonNode host : Json.mapper().readTree(response.body()).path("hosts")) {
                    if (activeOnly && !host.path("active").asBoolean()) {
                        continue;
                    }
                    String url = host.path("host").asText();
                    // a host the discovery file lists by URL alone names itself in its GET /status
                    String nodeId = host.hasNonNull("node_id") ? host.get("node_id").asText() : nodeIdOf(url);
                    if (nodeId != null) {
                        hosts.add(new MeshHost(url, nodeId));
                    }
                }
            }
            return hosts;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
