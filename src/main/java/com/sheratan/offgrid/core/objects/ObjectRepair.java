package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.core.objects.ObjectShards.Health;
import com.sheratan.offgrid.storage.ShardClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Repair and scrub (SPEC 13): every object's shards checked with {@code ?verify=true}; missing,
 * corrupt or never-placed ones rebuilt from k good ones and put on hosts the broker places, the
 * object's healthy hosts excluded; then the manifest gets a new revision, in the core and on the hosts.
 */
final class ObjectRepair {
    private static final Logger LOG = EscapingLogger.of(ObjectRepair.class);

    /** What one repair pass did. */
    record RepairReport(int objects, int shardsChecked, int repaired, int unrecoverable) {
    }

    private final ManifestBook book;
    private final MeshClient mesh;
    private final ObjectShards shards;
    private final ManifestCopies copies;
    private final KeyLocks locks;
    private final AtomicReference<RepairReport> lastRepair = new AtomicReference<>(new RepairReport(0, 0, 0, 0));
    /** per node id: shards found ok, missing, corrupt by the last pass (the dashboard's storage panel) */
    private final AtomicReference<Map<String, int[]>> lastHealth = new AtomicReference<>(Map.of());

    ObjectRepair(ManifestBook book, MeshClient mesh, ObjectShards shards, ManifestCopies copies, KeyLocks locks) {
        this.book = book;
        this.mesh = mesh;
        this.shards = shards;
        this.copies = copies;
        this.locks = locks;
    }

    /** Per node id, the shards the last pass found {ok, missing, corrupt} (in {@link Health} order). */
    Map<String, int[]> lastHealthByNode() {
        return lastHealth.get();
    }

    /** What the last pass found (shards checked, repaired, objects unrecoverable), as meters. */
    void registerMeters(MeterRegistry registry) {
        Gauge.builder("offgrid.storage.repair.shards_checked", lastRepair, r -> r.get().shardsChecked())
                .description("shards the last repair pass checked").register(registry);
        Gauge.builder("offgrid.storage.repair.repaired", lastRepair, r -> r.get().repaired())
                .description("shards the last repair pass placed again").register(registry);
        Gauge.builder("offgrid.storage.repair.unrecoverable", lastRepair, r -> r.get().unrecoverable())
                .description("objects the last repair pass found with fewer than k good shards").register(registry);
    }

    /**
     * Checks every object's shards and places missing or corrupt ones again, rebuilt from k good ones,
     * on hosts that hold no shard of the object; then stores the updated manifest.
     */
    RepairReport repair() {
        int objects = 0;
        int checked = 0;
        int repaired = 0;
        int unrecoverable = 0;
        Map<String, int[]> byNode = new TreeMap<>();
        for (Manifest listed : book.all()) {
            objects++;
            synchronized (locks.of(listed.key())) {
                Manifest manifest = book.find(listed.key()).orElse(null);
                if (manifest == null || !manifest.objectId().equals(listed.objectId())) {
                    continue; // replaced or deleted meanwhile
                }
                List<Health> health = shards.check(manifest);
                checked += health.size();
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < health.size(); i++) {
                    if (health.get(i) != Health.OK) {
                        bad.add(i);
                    }
                }
                if (bad.isEmpty()) {
                    count(byNode, manifest, health, List.of());
                    continue;
                }
                if (health.size() - bad.size() < manifest.k()) {
                    unrecoverable++;
                    LOG.error("object {} ({}) is unrecoverable: {} of its {} shards are good, {} are needed; it stays"
                                    + " listed in case hosts come back", manifest.key(), manifest.objectId(),
                            health.size() - bad.size(), health.size(), manifest.k());
                    count(byNode, manifest, health, List.of());
                    continue;
                }
                List<Integer> placedAgain = List.of();
                try {
                    placedAgain = repairObject(manifest, health, bad);
                    repaired += placedAgain.size();
                } catch (StorageRefusal | IOException | RuntimeException e) {
                    LOG.warn("object {} ({}): repair of shards {} failed: {}; tried again at the next scrub",
                            manifest.key(), manifest.objectId(), bad, e.getMessage());
                }
                count(byNode, book.find(manifest.key()).orElse(manifest), health, placedAgain);
            }
        }
        if (repaired > 0 || unrecoverable > 0) {
            LOG.info("storage repair: {} objects, {} shards checked, {} repaired, {} unrecoverable", objects, checked,
                    repaired, unrecoverable);
        }
        RepairReport report = new RepairReport(objects, checked, repaired, unrecoverable);
        lastRepair.set(report);
        lastHealth.set(Map.copyOf(byNode));
        return report;
    }

    /** Adds an object's shards to the per-node health: a shard this pass placed again counts as ok where it now is. */
    private static void count(Map<String, int[]> byNode, Manifest manifest, List<Health> health, List<Integer> placedAgain) {
        for (Manifest.ShardPlace place : manifest.shards()) {
            Health found = placedAgain.contains(place.index()) ? Health.OK : health.get(place.index());
            String node = place.placed() ? place.nodeId() : "(not placed)";
            byNode.computeIfAbsent(node, n -> new int[3])[found.ordinal()]++;
        }
    }

    /** Places the bad shards again; answers the indices placed. */
    private List<Integer> repairObject(Manifest manifest, List<Health> health, List<Integer> bad)
            throws StorageRefusal, IOException {
        int n = manifest.k() + manifest.m();
        byte[][] all = shards.readAll(manifest);
        Set<String> keep = new LinkedHashSet<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            if (health.get(place.index()) == Health.OK) {
                keep.add(place.nodeId());
            }
        }
        MeshClient.Placement placement = mesh.place(manifest.objectId(), bad.size(), manifest.shardBytes(), keep);
        if (!placement.placed() || placement.hosts().size() < bad.size()) {
            throw StorageRefusal.placement(placement, bad.size());
        }
        List<Manifest.ShardPlace> places = new ArrayList<>(manifest.shards());
        List<Integer> placedAgain = new ArrayList<>();
        List<CompletableFuture<ShardClient.Answer>> puts = new ArrayList<>();
        for (int j = 0; j < bad.size(); j++) {
            int index = bad.get(j);
            MeshClient.MeshHost host = placement.hosts().get(j);
            Manifest.ShardPlace place = places.get(index);
            puts.add(shards.put(host, place.shardId(), all[index], place.sha256()));
        }
        for (int j = 0; j < bad.size(); j++) {
            int index = bad.get(j);
            MeshClient.MeshHost host = placement.hosts().get(j);
            ShardClient.Answer answer = puts.get(j).join();
            if (answer.status() == 201 || answer.status() == 200) {
                places.set(index, places.get(index).on(host.host(), host.nodeId()));
                placedAgain.add(index);
            } else {
                LOG.warn("object {} ({}): repaired shard {} was not stored on {}: {}", manifest.key(),
                        manifest.objectId(), index, host.nodeId(), answer.reason());
            }
        }
        if (!placedAgain.isEmpty()) {
            Manifest updated = manifest.withShards(places, manifest.revision() + 1);
            book.save(updated);
            copies.store(updated);
            copies.delete(manifest);
            LOG.info("object {} ({}): {} shard(s) placed again on {} (of n = {})", manifest.key(), manifest.objectId(),
                    placedAgain.size(), placement.hosts().stream().map(MeshClient.MeshHost::nodeId).toList(), n);
        }
        return placedAgain;
    }
}
