package com.sheratan.offgrid.storage;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real mesh for storage tests: n hosts (host-a, host-b, …) on free loopback ports listed in the
 * discovery file, a broker and a core, in one working folder. A host can be stopped, and started
 * again on its port with its shards or with none.
 */
public final class StorageMesh implements AutoCloseable {
    public final Http http = new Http();
    private final Path home;
    private final TestRoles roles;
    private final List<String> nodeIds = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Map<String, RunningRole> hosts = new HashMap<>();
    private final Map<String, String> hostSettings;
    private RunningRole broker;
    private RunningRole core;

    public StorageMesh(Path home, int hostCount, Map<String, String> coreSettings, Map<String, String> hostSettings) {
        this.home = home;
        this.roles = new TestRoles(home);
        this.hostSettings = hostSettings;
        StringBuilder discovery = new StringBuilder("{");
        for (int i = 0; i < hostCount; i++) {
            String nodeId = "host-" + (char) ('a' + i);
            int port = Ports.free();
            nodeIds.add(nodeId);
            ports.add(port);
            discovery.append(i == 0 ? "" : ",").append("\"http://127.0.0.1:").append(port)
                    .append("\":{\"node_id\":\"").append(nodeId).append("\",\"via\":\"udp\"}");
        }
        try {
            Files.createDirectories(home.resolve("discovery"));
            Files.writeString(home.resolve("discovery/mesh_hosts.json"), discovery.append('}').toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < hostCount; i++) {
            startHost(i);
        }
        broker = roles.broker(Map.of("offgrid.broker.health-interval-ms", "200"));
        Map<String, String> core = new HashMap<>(coreSettings);
        core.put("offgrid.broker-url", broker.baseUrl());
        this.core = roles.core(core);
    }

    public String brokerUrl() {
        return broker.baseUrl();
    }

    public void stopCore() {
        roles.stop(core);
    }

    /** A new core in the same working folder, on a free port. */
    public void startCore(Map<String, String> coreSettings) {
        Map<String, String> settings = new HashMap<>(coreSettings);
        settings.put("offgrid.broker-url", broker.baseUrl());
        core = roles.core(settings);
    }

    public String coreUrl(String path) {
        return core.baseUrl() + path;
    }

    public RunningRole core() {
        return core;
    }

    public Path home() {
        return home;
    }

    public List<String> nodeIds() {
        return nodeIds;
    }

    public Path shardFolder(String nodeId) {
        return home.resolve("shards").resolve(nodeId);
    }

    /** The shard files (not manifests, not moved aside) a host keeps for an object id. */
    public List<Path> shardFiles(String nodeId, String objectId) {
        try (Stream<Path> files = Files.list(shardFolder(nodeId))) {
            return files.filter(f -> f.getFileName().toString().startsWith(objectId + "-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stopHost(String nodeId) {
        RunningRole host = hosts.remove(nodeId);
        if (host != null) {
            roles.stop(host);
        }
    }

    /** Starts a stopped host again on its port; {@code empty}: its shard folder is deleted first. */
    public void restartHost(String nodeId, boolean empty) {
        stopHost(nodeId);
        if (empty) {
            try (Stream<Path> files = Files.walk(shardFolder(nodeId))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        startHost(nodeIds.indexOf(nodeId));
    }

    private void startHost(int i) {
        Map<String, String> settings = new HashMap<>(hostSettings);
        settings.put("offgrid.host.port", String.valueOf(ports.get(i)));
        hosts.put(nodeIds.get(i), roles.host(nodeIds.get(i), settings));
    }

    public HttpResponse<String> put(String key, byte[] content, String contentType) {
        return http.send(HttpRequest.newBuilder(URI.create(coreUrl("/api/objects/" + key)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).header("Content-Type", contentType).build());
    }

    public HttpResponse<byte[]> get(String key) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(coreUrl("/api/objects/" + key)))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> manifest(String key) {
        return http.get(coreUrl("/api/objects/" + key + "?manifest=true"));
    }

    public HttpResponse<String> delete(String key) {
        return http.send(HttpRequest.newBuilder(URI.create(coreUrl("/api/objects/" + key))).DELETE().build());
    }

    public HttpResponse<String> repair() {
        return http.postJson(coreUrl("/api/storage/repair"), "");
    }

    @Override
    public void close() {
        roles.close();
    }
}
