package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.storage.ObjectCipher;
import com.sheratan.offgrid.storage.ReedSolomon;
import com.sheratan.offgrid.storage.ShardClient;
import com.sheratan.offgrid.storage.StorageScheme;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * The core's mesh storage (SPEC 13): an object is encrypted (a fresh data key per version), cut into
 * k data shards, given m parity shards, and the shards are put on n distinct hosts the broker chose.
 * Reads take any k shards whose SHA-256 matches the manifest ({@link ObjectShards}); the manifest is kept
 * in the core ({@link ManifestBook}) and on the hosts ({@link ManifestCopies}); {@link ObjectRepair}
 * puts missing or corrupt shards on other hosts. One object key is written by one call at a time.
 */
public final class ObjectStore {
    private static final Logger LOG = EscapingLogger.of(ObjectStore.class);
    /** Keys under this prefix are the core's own (job backups): stored quietly. */
    static final String OWN_KEYS = "_offgrid/";

    /** What a read gives: the object's bytes as a stream, decrypted as it is read, and its content type. */
    public record Content(InputStream stream, String contentType, Manifest manifest) {
    }

    private final ManifestBook book;
    private final MeshClient mesh;
    private final ObjectShards shards;
    private final ManifestCopies copies;
    private final ObjectRepair repair;
    private final ObjectCipher cipher;
    private final byte[] storageKey;
    private final StorageSettings settings;
    private final Clock clock;
    private final KeyLocks locks = new KeyLocks();

    ObjectStore(ManifestBook book, MeshClient mesh, ShardClient shardClient, ObjectCipher cipher, byte[] storageKey,
                StorageSettings settings, Clock clock) {
        this.book = book;
        this.mesh = mesh;
        this.shards = new ObjectShards(shardClient);
        this.copies = new ManifestCopies(shardClient, mesh, book, cipher, storageKey);
        this.repair = new ObjectRepair(book, mesh, shards, copies, locks);
        this.cipher = cipher;
        this.storageKey = storageKey.clone();
        this.settings = settings;
        this.clock = clock;
    }

    ManifestBook book() {
        return book;
    }

    /** SPEC 14's storage meters: objects and their bytes, and what the last repair pass found. */
    void registerMeters(MeterRegistry registry) {
        Gauge.builder("offgrid.storage.objects", book, b -> b.all().size())
                .description("objects the core has stored on the mesh").register(registry);
        Gauge.builder("offgrid.storage.object_bytes", book, b -> b.all().stream().mapToLong(Manifest::size).sum())
                .description("bytes of the objects stored (before encryption and coding)").register(registry);
        repair.registerMeters(registry);
    }

    /**
     * The dashboard's storage panel (SPEC 14): objects, their bytes, and per host the shards the
     * manifests place there with their health as the last repair pass found it (checking every shard on
     * each refresh of the page would cost the hosts a read of every shard).
     */
    public Map<String, Object> summary() {
        List<Manifest> all = book.all();
        Map<String, Integer> placed = new java.util.TreeMap<>();
        for (Manifest manifest : all) {
            for (Manifest.ShardPlace place : manifest.shards()) {
                placed.merge(place.placed() ? place.nodeId() : "(not placed)", 1, Integer::sum);
            }
        }
        Map<String, int[]> health = repair.lastHealthByNode();
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (Map.Entry<String, Integer> node : placed.entrySet()) {
            int[] counts = health.getOrDefault(node.getKey(), new int[3]);
            Map<String, Object> host = new java.util.LinkedHashMap<>();
            host.put("node_id", node.getKey());
            host.put("shards", node.getValue());
            host.put("ok", counts[ObjectShards.Health.OK.ordinal()]);
            host.put("missing", counts[ObjectShards.Health.MISSING.ordinal()]);
            host.put("corrupt", counts[ObjectShards.Health.CORRUPT.ordinal()]);
            hosts.add(host);
        }
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("enabled", true);
        summary.put("objects", all.size());
        summary.put("bytes", all.stream().mapToLong(Manifest::size).sum());
        summary.put("hosts", hosts);
        summary.put("detail", "shard health as of the last repair pass (every offgrid.storage.scrub-interval-s,"
                + " or POST /api/storage/repair)");
        return summary;
    }

    /** One repair pass over every object (see {@link ObjectRepair}). */
    public ObjectRepair.RepairReport repair() {
        return repair.repair();
    }

    /** Rebuilds the index from the manifests on the hosts (see {@link ManifestCopies#rebuildIndex}), for restore. */
    public int rebuildIndex() throws IOException {
        return copies.rebuildIndex();
    }

    /** Stores a new version of {@code key}; the old version's shards are deleted once it is stored. */
    public Manifest put(String key, byte[] content, String contentType) throws StorageRefusal, IOException {
        return put(key, java.nio.ByteBuffer.wrap(content), contentType);
    }

    /** As {@link #put(String, byte[], String)}, for the bytes left in {@code content} (not moved, not copied). */
    public Manifest put(String key, java.nio.ByteBuffer content, String contentType) throws StorageRefusal, IOException {
        synchronized (locks.of(key)) {
            StorageScheme scheme = schemeNow();
            int n = scheme.n();
            String objectId = "o" + HexFormat.of().formatHex(cipher.randomBytes(12));
            long cipherBytes = (long) content.remaining() + ObjectCipher.TAG_BYTES;
            int shardBytes = (int) ((cipherBytes + scheme.k() - 1) / scheme.k());

            MeshClient.Placement placement = mesh.place(objectId, n, shardBytes, List.of());
            if (!placement.placed() || placement.hosts().size() < n) {
                throw StorageRefusal.placement(placement, n);
            }
            byte[] dataKey = cipher.newKey();
            byte[] nonce = cipher.newNonce();
            ReedSolomon codec = shards.codec(scheme);
            byte[][] coded = codec.newShards(shardBytes);
            cipher.encryptInto(dataKey, nonce, objectId, content, coded, scheme.k(), shardBytes);
            codec.encodeParity(coded, 0, shardBytes);

            List<Manifest.ShardPlace> places = new ArrayList<>(n);
            List<CompletableFuture<ShardClient.Answer>> puts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                MeshClient.MeshHost host = placement.hosts().get(i);
                String sha = i > 0 && coded[i] == coded[0] ? places.get(0).sha256() : Digests.sha256Hex(coded[i]);
                places.add(new Manifest.ShardPlace(i, objectId + "-" + i, host.nodeId(), host.host(), sha));
                puts.add(shards.put(host, objectId + "-" + i, coded[i], sha));
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
                shards.delete(result);
                LOG.warn("object {} not stored: {} of {} shards reached a host, {} needed (offgrid.storage.write-quorum);"
                        + " the ones stored were deleted", key, stored, n, quorum);
                throw new StorageRefusal(503, "storage_unavailable", "only " + stored + " of " + n
                        + " shards could be stored, " + quorum + " are needed", "stored", stored, "need", quorum);
            }
            Manifest old = book.find(key).orElse(null);
            Manifest buried = book.tombstone(key).orElse(null);
            Manifest manifest = new Manifest(key, objectId, book.lastVersion(key) + 1, 1, content.remaining(),
                    Digests.sha256Hex(content), contentType, clock.instant().toString(), scheme.k(), scheme.m(),
                    shardBytes, cipherBytes, Base64.getEncoder().encodeToString(nonce),
                    Base64.getEncoder().encodeToString(cipher.seal(storageKey, dataKey, objectId)), result, null);
            book.save(manifest);
            copies.store(manifest);
            if (old != null) {
                deleteObject(old);
            }
            if (buried != null) {
                copies.delete(buried); // the new version outranks what it stood for
            }
            // the core's own job backups (JobBackup) would fill the log at every change of a job
            if (LOG.isInfoEnabled() && !key.startsWith(OWN_KEYS)) {
                LOG.info("object {} version {} stored as {}: rs-{}-{}, {} of {} shards placed on {}", key,
                        manifest.version(), objectId, scheme.k(), scheme.m(), stored, n, manifest.nodes());
            }
            return manifest;
        }
    }

    /**
     * The object's bytes, rebuilt from any k shards whose hash matches the manifest, and checked
     * whole (GCM tag and SHA-256) before the stream is handed out: it then decrypts from the k data
     * shards as it is read, so the object is held once, as ciphertext.
     */
    public Content get(String key) throws StorageRefusal {
        Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
        byte[][] data = shards.readData(manifest);
        try {
            byte[] dataKey = unwrapKey(manifest);
            byte[] nonce = Base64.getDecoder().decode(manifest.nonce());
            cipher.verify(dataKey, nonce, manifest.objectId(), data, manifest.shardBytes(), manifest.cipherBytes(),
                    manifest.sha256());
            return new Content(cipher.decrypting(dataKey, nonce, data, manifest.shardBytes(), manifest.cipherBytes()),
                    manifest.contentType(), manifest);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.error("object {} ({}) could not be decrypted from its verified shards: {}. Is this the storage key it"
                    + " was written with (OFFGRID_STORAGE_KEY / state storage.key)?", key, manifest.objectId(), e.getMessage());
            throw new StorageRefusal(503, "object_unavailable", "the object's shards do not decrypt with this core's"
                    + " storage key", "have", 0, "need", manifest.k());
        }
    }

    /** The object's bytes, or why not (as {@link #get}, for callers outside this package). */
    public byte[] read(String key) throws Exception {
        try (InputStream stream = get(key).stream()) {
            return stream.readAllBytes();
        }
    }

    /** The manifest with each shard's health ({@code ok | missing | corrupt}) and whether k are ok. */
    public Map<String, Object> manifestWithHealth(String key) throws StorageRefusal {
        Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
        List<ObjectShards.Health> health = shards.check(manifest);
        long ok = health.stream().filter(h -> h == ObjectShards.Health.OK).count();
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

    /**
     * Deletes the object: its manifest becomes a tombstone (in the index and, sealed, on the object's
     * hosts, where it outranks the manifest's copies), then its shards and manifest copies are deleted.
     * A host that is down keeps its shard and copy; the tombstone keeps {@code restore} from bringing
     * the object back, and restore deletes what it finds of it.
     */
    public Manifest delete(String key) throws StorageRefusal, IOException {
        synchronized (locks.of(key)) {
            Manifest manifest = book.find(key).orElseThrow(() -> unknown(key));
            Manifest tombstone = manifest.tombstone(clock.instant().toString());
            book.save(tombstone);
            copies.store(tombstone);
            deleteObject(manifest);
            LOG.info("object {} ({}) deleted", key, manifest.objectId());
            return manifest;
        }
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

    private void deleteObject(Manifest manifest) {
        shards.delete(manifest.shards());
        copies.delete(manifest);
    }

    private byte[] unwrapKey(Manifest manifest) throws GeneralSecurityException {
        return cipher.open(storageKey, Base64.getDecoder().decode(manifest.wrappedKey()), manifest.objectId());
    }

    private static StorageRefusal unknown(String key) {
        return new StorageRefusal(404, "not_found", "no object with key '" + key + "'");
    }

}
