package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.storage.ObjectCipher;
import com.sheratan.offgrid.storage.ReedSolomon;
import com.sheratan.offgrid.storage.ShardClient;
import com.sheratan.offgrid.storage.StorageScheme;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;

/**
 * The core's mesh storage (SPEC 13): an object is encrypted (a fresh data key per version), cut into
 * k data shards, given m parity shards, and the shards are put on n distinct hosts the broker chose.
 * Reads take any k shards whose SHA-256 matches the manifest; repair puts missing or corrupt shards
 * on other hosts. One object key is written by one call at a time.
 */
public final class ObjectStore {
    private static final Logger LOG = EscapingLogger.of(ObjectStore.class);
    static final String MANIFEST_AAD = "offgrid-manifest-v1";
    /** Keys under this prefix are the core's own (job backups): stored quietly. */
    static final String OWN_KEYS = "_offgrid/";

    /** What a read gives: the object's bytes and content type. */
    public record Content(byte[] bytes, String contentType, Manifest manifest) {
    }

    /** What one repair pass did. */
    public record RepairReport(int objects, int shardsChecked, int repaired, int unrecoverable) {
    }

    /** The health of one shard in a manifest answer. */
    enum Health { OK, MISSING, CORRUPT }

    private final ManifestBook book;
    private final MeshClient mesh;
    private final ShardClient shards;
    private final ObjectCipher cipher;
    private final byte[] storageKey;
    private final StorageSettings settings;
    private final Clock clock;
    private final Map<String, ReedSolomon> codecs = new ConcurrentHashMap<>();
    private final Object[] keyLocks = new Object[64];
    private final AtomicReference<RepairReport> lastRepair = new AtomicReference<>(new RepairReport(0, 0, 0, 0));

    ObjectStore(ManifestBook book, MeshClient mesh, ShardClient shards, ObjectCipher cipher, byte[] storageKey,
                StorageSettings settings, Clock clock) {
        this.book = book;
        this.mesh = mesh;
        this.shards = shards;
        this.cipher = cipher;
        this.storageKey = storageKey.clone();
        this.settings = settings;
        this.clock = clock;
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new Object();
        }
    }

    ManifestBook book() {
        return book;
    }

    /**
     * SPEC 14's storage meters: objects and their bytes, and what the last repair pass found (shards
     * checked, repaired, objects unrecoverable).
     */
    void registerMeters(MeterRegistry registry) {
        Gauge.builder("offgrid.storage.objects", book, b -> b.all().size())
                .description("objects the core has stored on the mesh").register(registry);
        Gauge.builder("offgrid.storage.object_bytes", book, b -> b.all().stream().mapToLong(Manifest::size).sum())
                .description("bytes of the objects stored (before encryption and coding)").register(registry);
        Gauge.builder("offgrid.storage.repair.shards_checked", lastRepair, r -> r.get().shardsChecked())
                .description("shards the last repair pass checked").register(registry);
        Gauge.builder("offgrid.storage.repair.repaired", lastRepair, r -> r.get().repaired())
                .description("shards the last repair pass placed again").register(registry);
        Gauge.builder("offgrid.storage.repair.unrecoverable", lastRepair, r -> r.get().unrecoverable())
                .description("objects the last repair pass found with fewer than k good shards").register(registry);
    }

    /** Stores a new version of {@code key}; the old version's shards are deleted once it is stored. */
    public Manifest put(String key, byte[] content, String contentType) throws StorageRefusal, IOException {
        synchronized (lock(key)) {
            StorageScheme scheme = schemeNow();
            int n = scheme.n();
            String objectId = "o" + HexFormat.of().formatHex(cipher.randomBytes(12));
            long cipherBytes = (long) content.length + ObjectCipher.TAG_BYTES;
            int shardBytes = (int) ((cipherBytes + scheme.k() - 1) / scheme.k());

            MeshClient.Placement placement = mesh.place(objectId, n, shardBytes, List.of());
            if (!placement.placed() || placement.hosts().size() < n) {
                throw placementRefusal(placement, n);
            }
            byte[] dataKey = cipher.newKey();
            byte[] nonce = cipher.newNonce();
            byte[][] coded = new byte[n][shardBytes];
            cipher.encryptInto(dataKey, nonce, objectId, content, coded, scheme.k(), shardBytes);
            codec(scheme).encodeParity(coded, 0, shardBytes);

            List<Manifest.ShardPlace> places = new ArrayList<>(n);
            List<CompletableFuture<ShardClient.Answer>> puts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                MeshClient.MeshHost host = placement.hosts().get(i);
                String sha = Digests.sha256Hex(coded[i]);
                places.add(new Manifest.ShardPlace(i, objectId + "-" + i, host.nodeId(), host.host(), sha));
                puts.add(shards.put(host.host(), host.nodeId(), objectId + "-" + i, coded[i], sha));
            }
            int stored = 0;
            List<Manifest.ShardPlace> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ShardClient.Answer answer = puts.get(i).join();
                Manifest.ShardPlace place = places.get(i);
                if (answer.status() == 201 || answer.status() == 200) {
                    stored++;
                    result.add(place);
                } else {
                    LOG.warn("object {} ({}): shard {} was not stored on {} ({}): {}; repair will place it", key,
                            objectId, i, place.nodeId(), place.host(), answer.reason());
                    result.add(place.on(null, null));
                }
            }
            coded = null; // the shards are on the hosts: let the memory go before the answer
            int quorum = settings.writeQuorum(scheme);
            if (stored < quorum) {
                deleteShards(result);
                LOG.warn("object {} not stored: {} of {} shards reached a host, {} needed (offgrid.storage.write-quorum);"
                        + " the ones stored were deleted", key, stored, n, quorum);
                throw new StorageRefusal(503, "storage_unavailable", "only " + stored + " of " + n
                        + " shards could be stored, " + quorum + " are needed", "stored", stored, "need", quorum);
            }
            Manifest old = book.find(key).orElse(null);
            Manifest manifest = new Manifest(key, objectId, old == null ? 1 : old.version() + 1, 1, content.length,
                    Digests.sha256Hex(content), contentType, clock.instant().toString(), scheme.k(), scheme.m(),
                    shardBytes, cipherBytes, Base64.getEncoder().encodeToString(nonce),
                    Base64.getEncoder().encodeToString(cipher.seal(storageKey, dataKey, objectId)), result);
            book.save(manifest);
            storeManifestOnHosts(manifest);
            if (old != null) {
                deleteObjectShards(old);
            }
            // the core's own job backups (JobBackup) would fill the log at every change of a job
            if (LOG.isInfoEnabled() && !key.startsWith(OWN_KEYS)) {
                LOG.info("object {} version {} stored as {}: rs-{}-{}, {} of {} shards placed on {}", key,
                        manifest.version(), objectId, scheme.k(), scheme.m(), stored, n, manifest.nodes());
            }
            return manifest;
        }
    }

    /** The object's bytes, rebuilt from any k shards whose hash matches the manifest. */
    public Content get(String key) throws StorageRefusal {
        Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
        byte[][] data = fetchGoodShards(manifest);
        try {
            byte[] plain = cipher.decryptFrom(unwrapKey(manifest), Base64.getDecoder().decode(manifest.nonce()),
                    manifest.objectId(), data, manifest.k(), manifest.shardBytes(), manifest.cipherBytes());
            if (!Digests.sha256Hex(plain).equals(manifest.sha256())) {
                throw new GeneralSecurityException("the rebuilt bytes do not hash to the manifest's sha256");
            }
            return new Content(plain, manifest.contentType(), manifest);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.error("object {} ({}) could not be decrypted from its verified shards: {}. Is this the storage key it"
                    + " was written with (OFFGRID_STORAGE_KEY / state storage.key)?", key, manifest.objectId(), e.getMessage());
            throw new StorageRefusal(503, "object_unavailable", "the object's shards do not decrypt with this core's"
                    + " storage key", "have", 0, "need", manifest.k());
        }
    }

    /** The object's bytes, or why not (as {@link #get}, for callers outside this package). */
    public byte[] read(String key) throws Exception {
        return get(key).bytes();
    }

    /** The manifest with each shard's health ({@code ok | missing | corrupt}) and whether k are ok. */
    public Map<String, Object> manifestWithHealth(String key) throws StorageRefusal {
        Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
        List<Health> health = check(manifest);
        long ok = health.stream().filter(h -> h == Health.OK).count();
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("key", manifest.key());
        answer.put("object_id", manifest.objectId());
        answer.put("version", manifest.version());
        answer.put("revision", manifest.revision());
        answer.put("size", manifest.size());
        answer.put("sha256", manifest.sha256());
        answer.put("content_type", manifest.contentType());
        answer.put("created_at", manifest.createdAt());
        answer.put("scheme", Map.of("k", manifest.k(), "m", manifest.m()));
        answer.put("shard_bytes", manifest.shardBytes());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            Map<String, Object> shard = new java.util.LinkedHashMap<>();
            shard.put("index", place.index());
            shard.put("shard_id", place.shardId());
            shard.put("node_id", place.nodeId());
            shard.put("host", place.host());
            shard.put("sha256", place.sha256());
            shard.put("health", health.get(place.index()).name().toLowerCase(java.util.Locale.ROOT));
            list.add(shard);
        }
        answer.put("shards", list);
        answer.put("ok_shards", ok);
        answer.put("recoverable", ok >= manifest.k());
        return answer;
    }

    public List<Manifest> list(String prefix) {
        return book.list(prefix);
    }

    /** Deletes the object's shards (best effort: a host that is down keeps an orphan) and its manifest. */
    public Manifest delete(String key) throws StorageRefusal, IOException {
        synchronized (lock(key)) {
            Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
            book.remove(key);
            deleteObjectShards(manifest);
            LOG.info("object {} ({}) deleted", key, manifest.objectId());
            return manifest;
        }
    }

    /**
     * Checks every object's shards and places missing or corrupt ones again, rebuilt from k good ones,
     * on hosts that hold no shard of the object; then stores the updated manifest.
     */
    public RepairReport repair() {
        int objects = 0;
        int checked = 0;
        int repaired = 0;
        int unrecoverable = 0;
        for (Manifest listed : book.all()) {
            objects++;
            synchronized (lock(listed.key())) {
                Manifest manifest = book.find(listed.key()).orElse(null);
                if (manifest == null || !manifest.objectId().equals(listed.objectId())) {
                    continue; // replaced or deleted meanwhile
                }
                List<Health> health = check(manifest);
                checked += health.size();
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < health.size(); i++) {
                    if (health.get(i) != Health.OK) {
                        bad.add(i);
                    }
                }
                if (bad.isEmpty()) {
                    continue;
                }
                if (health.size() - bad.size() < manifest.k()) {
                    unrecoverable++;
                    LOG.error("object {} ({}) is unrecoverable: {} of its {} shards are good, {} are needed; it stays"
                                    + " listed in case hosts come back", manifest.key(), manifest.objectId(),
                            health.size() - bad.size(), health.size(), manifest.k());
                    continue;
                }
                try {
                    repaired += repairObject(manifest, health, bad);
                } catch (StorageRefusal | IOException | RuntimeException e) {
                    LOG.warn("object {} ({}): repair of shards {} failed: {}; tried again at the next scrub",
                            manifest.key(), manifest.objectId(), bad, e.getMessage());
                }
            }
        }
        if (repaired > 0 || unrecoverable > 0) {
            LOG.info("storage repair: {} objects, {} shards checked, {} repaired, {} unrecoverable", objects, checked,
                    repaired, unrecoverable);
        }
        RepairReport report = new RepairReport(objects, checked, repaired, unrecoverable);
        lastRepair.set(report);
        return report;
    }

    private int repairObject(Manifest manifest, List<Health> health, List<Integer> bad) throws StorageRefusal, IOException {
        int n = manifest.k() + manifest.m();
        byte[][] all = fetchForRepair(manifest, health);
        Set<String> keep = new LinkedHashSet<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            if (health.get(place.index()) == Health.OK) {
                keep.add(place.nodeId());
            }
        }
        MeshClient.Placement placement = mesh.place(manifest.objectId(), bad.size(), manifest.shardBytes(), keep);
        if (!placement.placed() || placement.hosts().size() < bad.size()) {
            throw placementRefusal(placement, bad.size());
        }
        List<Manifest.ShardPlace> places = new ArrayList<>(manifest.shards());
        int repaired = 0;
        List<CompletableFuture<ShardClient.Answer>> puts = new ArrayList<>();
        for (int j = 0; j < bad.size(); j++) {
            int index = bad.get(j);
            MeshClient.MeshHost host = placement.hosts().get(j);
            Manifest.ShardPlace place = places.get(index);
            puts.add(shards.put(host.host(), host.nodeId(), place.shardId(), all[index], place.sha256()));
        }
        for (int j = 0; j < bad.size(); j++) {
            int index = bad.get(j);
            MeshClient.MeshHost host = placement.hosts().get(j);
            ShardClient.Answer answer = puts.get(j).join();
            if (answer.status() == 201 || answer.status() == 200) {
                places.set(index, places.get(index).on(host.host(), host.nodeId()));
                repaired++;
            } else {
                LOG.warn("object {} ({}): repaired shard {} was not stored on {}: {}", manifest.key(),
                        manifest.objectId(), index, host.nodeId(), answer.reason());
            }
        }
        if (repaired > 0) {
            Manifest updated = manifest.withShards(places, manifest.revision() + 1);
            book.save(updated);
            storeManifestOnHosts(updated);
            deleteManifestShards(manifest);
            LOG.info("object {} ({}): {} shard(s) placed again on {} (of n = {})", manifest.key(), manifest.objectId(),
                    repaired, placement.hosts().stream().map(MeshClient.MeshHost::nodeId).toList(), n);
        }
        return repaired;
    }

    /** Every shard of the object, the bad ones rebuilt from k good ones. */
    private byte[][] fetchForRepair(Manifest manifest, List<Health> health) throws StorageRefusal {
        byte[][] data = fetchGoodShards(manifest);
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

    /**
     * The k data shards, each either read and verified or rebuilt: shards are asked for data first,
     * then parity in place of the ones that fail, until k good ones are in hand.
     */
    private byte[][] fetchGoodShards(Manifest manifest) throws StorageRefusal {
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

    private List<Health> check(Manifest manifest) {
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

    private void storeManifestOnHosts(Manifest manifest) throws IOException {
        byte[] sealed = cipher.seal(storageKey, Json.mapper().writeValueAsBytes(manifest), MANIFEST_AAD);
        String sha = Digests.sha256Hex(sealed);
        List<CompletableFuture<ShardClient.Answer>> puts = new ArrayList<>();
        List<Manifest.ShardPlace> placed = manifest.shards().stream().filter(Manifest.ShardPlace::placed).toList();
        for (Manifest.ShardPlace place : placed) {
            puts.add(shards.put(place.host(), place.nodeId(), manifest.manifestShardId(), sealed, sha));
        }
        for (int i = 0; i < puts.size(); i++) {
            ShardClient.Answer answer = puts.get(i).join();
            if (answer.status() != 201 && answer.status() != 200) {
                LOG.warn("object {}: the manifest copy on {} was not stored: {}", manifest.key(), placed.get(i).nodeId(),
                        answer.reason());
            }
        }
    }

    private void deleteObjectShards(Manifest manifest) {
        deleteShards(manifest.shards());
        deleteManifestShards(manifest);
    }

    private void deleteManifestShards(Manifest manifest) {
        List<CompletableFuture<ShardClient.Answer>> deletes = new ArrayList<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            if (place.placed()) {
                deletes.add(shards.delete(place.host(), place.nodeId(), manifest.manifestShardId()));
            }
        }
        deletes.forEach(CompletableFuture::join);
    }

    private void deleteShards(List<Manifest.ShardPlace> places) {
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

    private byte[] unwrapKey(Manifest manifest) throws GeneralSecurityException {
        return cipher.open(storageKey, Base64.getDecoder().decode(manifest.wrappedKey()), manifest.objectId());
    }

    /**
     * Rebuilds the index from the mesh alone: every {@code m-} shard on every host the broker knows,
     * opened with the storage key; per key the newest version (then revision) wins. For {@code restore}.
     *
     * @return how many objects the index now holds
     */
    public int rebuildIndex() throws IOException {
        Map<String, Manifest> newest = new java.util.HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        List<MeshClient.MeshHost> hosts = mesh.hosts(false);
        if (hosts.isEmpty()) {
            throw new IOException("the broker (offgrid.broker-url) answered no hosts: start it with the mesh's"
                    + " discovery file, then run restore again");
        }
        for (MeshClient.MeshHost host : hosts) {
            ShardClient.Answer listed = shards.list(host.host(), host.nodeId(), "m-").join();
            if (listed.status() != 200) {
                LOG.warn("restore: cannot list the manifests on {} ({}): {}", host.nodeId(), host.host(), listed.reason());
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode shard : listed.json().path("shards")) {
                String shardId = shard.path("shard_id").asText();
                if (!seen.add(shardId)) {
                    continue;
                }
                ShardClient.Answer got = shards.get(host.host(), host.nodeId(), shardId).join();
                if (got.status() != 200 || !Digests.sha256Hex(got.body()).equals(shard.path("sha256").asText())) {
                    seen.remove(shardId); // another host's copy may be good
                    continue;
                }
                try {
                    Manifest manifest = Json.mapper().readValue(cipher.open(storageKey, got.body(), MANIFEST_AAD),
                            Manifest.class);
                    newest.merge(manifest.key(), manifest, (a, b) -> a.version() != b.version()
                            ? (a.version() > b.version() ? a : b) : (a.revision() >= b.revision() ? a : b));
                } catch (GeneralSecurityException e) {
                    LOG.warn("restore: manifest {} on {} does not open with this storage key: skipped", shardId,
                            host.nodeId());
                }
            }
        }
        for (Manifest manifest : newest.values()) {
            book.save(manifest);
        }
        return newest.size();
    }

    /** The scheme for a new object: the configured one, or auto from the broker's active hosts. */
    private StorageScheme schemeNow() throws StorageRefusal {
        if (settings.scheme() != null) {
            return settings.scheme();
        }
        int active = mesh.hosts(true).size();
        StorageScheme auto = StorageScheme.auto(active);
        if (auto == null) {
            throw new StorageRefusal(503, "not_enough_hosts", "scheme auto needs at least 2 active hosts, the broker"
                    + " knows " + active, "need", 2, "have", active);
        }
        return auto;
    }

    private static StorageRefusal placementRefusal(MeshClient.Placement placement, int n) {
        if ("not_enough_hosts".equals(placement.error())) {
            return new StorageRefusal(503, "not_enough_hosts", "the object needs " + placement.need()
                    + " distinct hosts, the broker has " + placement.have(), "need", placement.need(),
                    "have", placement.have());
        }
        return new StorageRefusal(503, "storage_unavailable", "the broker placed no hosts: " + placement.error()
                + " (HTTP " + placement.status() + ")", "stored", 0, "need", n);
    }

    ReedSolomon codec(StorageScheme scheme) {
        return codecs.computeIfAbsent(scheme.k() + "-" + scheme.m(), s -> new ReedSolomon(scheme.k(), scheme.m()));
    }

    private static StorageRefusal unknown(String key) {
        return new StorageRefusal(404, "not_found", "no object with key '" + key + "'");
    }

    private Object lock(String key) {
        return keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
    }
}
