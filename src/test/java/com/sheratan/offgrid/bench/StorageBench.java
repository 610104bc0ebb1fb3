package com.sheratan.offgrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.launch.Mesh;
import com.sheratan.offgrid.launch.MeshLayout;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.storage.ReedSolomon;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.camel.util.FileUtil;

/**
 * The storage figures (SPEC 13, docs/benchmarks.md): Reed–Solomon 4+2 encode and decode alone, then
 * a mesh of six hosts in this JVM (auto scheme: 4 + 2) taking objects by {@code PUT /api/objects},
 * giving them back, and giving them back with two hosts that hold data shards stopped. Figures are
 * MB/s of object bytes (10^6), printed, never asserted.
 */
final class StorageBench {
    private static final int HOSTS = 6;
    private final int runs;
    private final int objectBytes;
    private final AuthKeys keys;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    StorageBench(int runs, int objectMiB, AuthKeys keys) {
        this.runs = runs;
        this.objectBytes = objectMiB * 1024 * 1024;
        this.keys = keys;
    }

    /** Rows {name, list of per-run MB/s} in the order they were measured. */
    Map<String, List<Double>> run() throws Exception {
        Map<String, List<Double>> figures = new java.util.LinkedHashMap<>();
        codec(figures);
        mesh(figures);
        return figures;
    }

    private void codec(Map<String, List<Double>> figures) {
        ReedSolomon codec = new ReedSolomon(4, 2);
        int shard = objectBytes / 4;
        byte[][] shards = new byte[6][shard];
        Random random = new Random(13);
        for (int i = 0; i < 4; i++) {
            random.nextBytes(shards[i]);
        }
        List<Double> encode = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        boolean[] present = {false, false, true, true, true, true};
        for (int r = -2; r < runs; r++) { // two warm-up rounds for the JIT
            long start = System.nanoTime();
            codec.encodeParity(shards, 0, shard);
            double encodeMbs = 4.0 * shard / 1e6 / ((System.nanoTime() - start) / 1e9);
            Arrays.fill(shards[0], (byte) 0);
            Arrays.fill(shards[1], (byte) 0);
            start = System.nanoTime();
            codec.decodeMissing(shards, present, 0, shard);
            double decodeMbs = 4.0 * shard / 1e6 / ((System.nanoTime() - start) / 1e9);
            if (r >= 0) {
                encode.add(encodeMbs);
                decode.add(decodeMbs);
                System.out.printf("  storage, RS 4+2 over %d MiB, run %d: encode %.0f MB/s, decode of 2 lost data shards %.0f MB/s (one core)%n",
                        objectBytes >> 20, r + 1, encodeMbs, decodeMbs);
            }
        }
        figures.put("storage: RS 4+2 encode MB/s (one core)", encode);
        figures.put("storage: RS 4+2 decode, 2 data shards lost, MB/s (one core)", decode);
    }

    private void mesh(Map<String, List<Double>> figures) throws Exception {
        Path home = Files.createTempDirectory("offgrid-bench-storage-");
        int broker = MeshLayout.freePort();
        int core = MeshLayout.freePort();
        Map<String, String> overrides = new HashMap<>(Map.of(Settings.HOME, home.toString(),
                "offgrid.mode", "disabled", "offgrid.core.port", String.valueOf(core),
                "offgrid.broker.port", String.valueOf(broker), "offgrid.broker-url", "http://127.0.0.1:" + broker,
                Mesh.HOST_COUNT, String.valueOf(HOSTS), "offgrid.storage.scheme", "auto",
                "offgrid.storage.max-object-bytes", String.valueOf(objectBytes),
                "offgrid.storage.scrub-interval-s", "3600", "offgrid.broker.health-interval-ms", "500"));
        for (int i = 0; i < HOSTS; i++) {
            overrides.put("offgrid.mesh.host-" + (char) ('a' + i) + "-port", String.valueOf(MeshLayout.freePort()));
        }
        overrides.put("offgrid.auth-key", keys.signingSecret());
        overrides.put("offgrid.auth-keys", "");
        overrides.put("offgrid.auth-key-id", keys.signingKeyId());
        String base = "http://127.0.0.1:" + core + "/api/objects/bench/";
        byte[] object = new byte[objectBytes];
        new Random(26).nextBytes(object);
        try (Mesh mesh = Mesh.start(Settings.load(home, Map.of(), overrides))) {
            awaitActiveHosts("http://127.0.0.1:" + broker + "/status");
            List<Double> puts = new ArrayList<>();
            List<Double> gets = new ArrayList<>();
            List<Double> degraded = new ArrayList<>();
            for (int r = -1; r < runs; r++) { // one warm-up round
                long start = System.nanoTime();
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "o" + r))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(object)).build(), HttpResponse.BodyHandlers.ofString());
                double putMbs = mbs(start);
                if (put.statusCode() != 201) {
                    throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
                }
                start = System.nanoTime();
                HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(base + "o" + r)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                double getMbs = mbs(start);
                if (get.statusCode() != 200 || !Arrays.equals(object, get.body())) {
                    throw new IllegalStateException("GET answered " + get.statusCode() + " or other bytes");
                }
                if (r >= 0) {
                    puts.add(putMbs);
                    gets.add(getMbs);
                    System.out.printf("  storage, %d MiB object on %d hosts, run %d: put %.0f MB/s, get %.0f MB/s%n",
                            objectBytes >> 20, HOSTS, r + 1, putMbs, getMbs);
                }
            }
            figures.put("storage: heap held while a get is in flight, MiB", heldDuringGet(base + "o0", object));
            // degraded: the hosts of data shards 0 and 1 stopped, so every read rebuilds them from parity
            JsonNode manifest = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "o0?manifest=true"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            for (int i = 0; i < 2; i++) {
                mesh.role(manifest.get("shards").get(i).get("node_id").asText()).stop();
            }
            for (int r = -1; r < runs; r++) {
                String key = base + "o" + Math.max(0, r);
                long start = System.nanoTime();
                HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(key)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                double getMbs = mbs(start);
                if (get.statusCode() != 200 || !Arrays.equals(object, get.body())) {
                    throw new IllegalStateException("degraded GET answered " + get.statusCode() + " or other bytes");
                }
                if (r >= 0) {
                    degraded.add(getMbs);
                    System.out.printf("  storage, run %d: degraded get (2 hosts of data shards down) %.0f MB/s%n", r + 1, getMbs);
                }
            }
            figures.put("storage: put " + (objectBytes >> 20) + " MiB objects, 6 hosts (4+2), MB/s", puts);
            figures.put("storage: get, MB/s", gets);
            figures.put("storage: degraded get (2 hosts down), MB/s", degraded);
        } finally {
            FileUtil.removeDir(home.toFile());
        }
    }

    /**
     * What the mesh holds while one GET is being sent: the live heap after a full GC taken once the
     * first MiB has arrived (the core then holds what it serves from; the reader here has read only
     * that), less the live heap before the GET. The mesh runs in this JVM, so this is its whole share.
     */
    private List<Double> heldDuringGet(String url, byte[] object) throws Exception {
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(object);
        long before = liveHeap();
        HttpResponse<java.io.InputStream> get = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        double heldMiB;
        try (java.io.InputStream body = get.body()) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(body.readNBytes(1 << 20));
            heldMiB = (liveHeap() - before) / 1048576.0;
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = body.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
            if (get.statusCode() != 200 || !Arrays.equals(expected, digest.digest())) {
                throw new IllegalStateException("GET answered " + get.statusCode() + " or other bytes");
            }
        }
        System.out.printf("  storage, %d MiB object: the mesh holds %.0f MiB (%.2f objects) while a get is in flight%n",
                objectBytes >> 20, heldMiB, heldMiB * 1048576 / objectBytes);
        return List.of(heldMiB);
    }

    private static long liveHeap() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private double mbs(long startNanos) {
        return objectBytes / 1e6 / ((System.nanoTime() - startNanos) / 1e9);
    }

    private void awaitActiveHosts(String brokerStatus) throws IOException, InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            try {
                JsonNode status = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(brokerStatus)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                if (status.path("hosts").path("active").asInt() >= HOSTS) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200); // polling the broker's health monitor: nothing to wait on but its answer
        }
        throw new IllegalStateException("the broker did not see " + HOSTS + " active hosts within 60 s");
    }
}
