package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.storage.ReedSolomon;
import com.sheratan.offgrid.storage.ShardClient;
import com.sheratan.offgrid.storage.StorageScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * An object's shards on the hosts: put, read with each shard's hash checked against the manifest
 * (rebuilding what is missing from any k good ones), health checks, deletes; and the Reed–Solomon
 * codec of each scheme, made once.
 */
final class ObjectShards {
    private static final Logger LOG = EscapingLogger.of(ObjectShards.class);

    /** The health of one shard, as a manifest answer shows it. */
    enum Health { OK, MISSING, CORRUPT }

    private final ShardClient shards;
    private final Map<String, ReedSolomon> codecs = new ConcurrentHashMap<>();

    ObjectShards(ShardClient shards) {
        this.shards = shards;
    }

    ReedSolomon codec(StorageScheme scheme) {
        return codecs.computeIfAbsent(scheme.k() + "-" + scheme.m(), s -> new ReedSolomon(scheme.k(), scheme.m()));
    }

    CompletableFuture<ShardClient.Answer> put(MeshClient.MeshHost host, String shardId, byte[] content, String sha256) {
        return shards.put(host.host(), host.nodeId(), shardId, content, sha256);
    }

    /**
     * The k data shards, each either read and verified or rebuilt: shards are asked for data first,
     * then parity in place of the ones that fail, until k good ones are in hand.
     */
    byte[][] readData(Manifest manifest) throws StorageRefusal {
        int k = manifest.k();
        int n = k + manifest.m();
        byte[][] got = new byte[n][];
        boolean[] present = new boolean[n];
        int good = 0;
        int next = 0;
        while (good < k && next < n) {
            List<Integer> batch = new ArrayList<>();
            while (batch.size() < k - good && next < n) {
                if (manifest.shards().get(next).placed()) {
                    batch.add(next);
                }
                next++;
            }
            List<CompletableFuture<ShardClient.Answer>> reads = new ArrayList<>();
            for (int index : batch) {
                Manifest.ShardPlace place = manifest.shards().get(index);
                reads.add(shards.get(place.host(), place.nodeId(), place.shardId()));
            }
            for (int b = 0; b < batch.size(); b++) {
                int index = batch.get(b);
                Manifest.ShardPlace place = manifest.shards().get(index);
                ShardClient.Answer answer = reads.get(b).join();
                if (answer.status() == 200 && answer.body() != null && answer.body().length == manifest.shardBytes()
                        && Digests.sha256Hex(answer.body()).equals(place.sha256())) {
                    got[index] = answer.body();
                    present[index] = true;
                    good++;
                } else {
                    LOG.warn("object {} ({}): shard {} on {} is not usable ({}); reading another",
                            manifest.key(), manifest.objectId(), index, place.nodeId(),
                            answer.status() == 200 ? "bytes do not match the manifest's sha256" : answer.reason());
                }
            }
        }
        if (good < k) {
            throw new StorageRefusal(503, "object_unavailable", "only " + good + " of the " + k
                    + " shards needed could be read with the right hash", "have", good, "need", k);
        }
        for (int i = 0; i < k; i++) {
            if (!present[i]) {
                got[i] = new byte[manifest.shardBytes()];
            }
        }
        for (int i = k; i < n; i++) {
            if (!present[i]) {
                got[i] = null; // not needed: only the data shards are rebuilt
            }
        }
        codec(manifest.scheme()).decodeMissing(got, present, 0, manifest.shardBytes());
        return java.util.Arrays.copyOf(got, k);
    }

    /** Every shard of the object, the bad ones rebuilt from k good ones. */
    byte[][] readAll(Manifest manifest) throws StorageRefusal {
        byte[][] data = readData(manifest);
        int n = manifest.k() + manifest.m();
        byte[][] all = new byte[n][];
        boolean[] present = new boolean[n];
        for (int i = 0; i < manifest.k(); i++) {
            all[i] = data[i];
            present[i] = true;
        }
        for (int i = manifest.k(); i < n; i++) {
            all[i] = new byte[manifest.shardBytes()];
        }
        codec(manifest.scheme()).decodeMissing(all, present, 0, manifest.shardBytes());
        return all;
    }

    /** Each shard's health, asked of its host with {@code ?verify=true}, in index order. */
    List<Health> check(Manifest manifest) {
        List<CompletableFuture<ShardClient.Answer>> checks = new ArrayList<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            checks.add(place.placed() ? shards.verify(place.host(), place.nodeId(), place.shardId())
                    : CompletableFuture.completedFuture(new ShardClient.Answer(404, null, null, null)));
        }
        List<Health> health = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            ShardClient.Answer answer = checks.get(i).join();
            if (answer.status() == 200 && manifest.shards().get(i).sha256().equals(answer.json().path("sha256").asText())) {
                health.add(Health.OK);
            } else if (answer.status() == 410 || answer.status() == 200) {
                health.add(Health.CORRUPT);
            } else {
                health.add(Health.MISSING);
            }
        }
        return health;
    }

    void delete(List<Manifest.ShardPlace> places) {
        List<CompletableFuture<ShardClient.Answer>> deletes = new ArrayList<>();
        List<Manifest.ShardPlace> asked = new ArrayList<>();
        for (Manifest.ShardPlace place : places) {
            if (place.placed()) {
                deletes.add(shards.delete(place.host(), place.nodeId(), place.shardId()));
                asked.add(place);
            }
        }
        for (int i = 0; i < deletes.size(); i++) {
            ShardClient.Answer answer = deletes.get(i).join();
            if (answer.status() != 200 && answer.status() != 404) {
                LOG.warn("shard {} on {} was not deleted ({}): it stays there as an orphan", asked.get(i).shardId(),
                        asked.get(i).nodeId(), answer.reason());
            }
        }
    }
}
