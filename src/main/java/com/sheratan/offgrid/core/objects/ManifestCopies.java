package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.storage.ObjectCipher;
import com.sheratan.offgrid.storage.ShardClient;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * The manifests' copies on the hosts (SPEC 13): sealed with the storage key (AES-256-GCM, associated
 * data {@value #MANIFEST_AAD}) as shard {@code m-<object_id>-r<revision>} on each host of the object,
 * so a core with only its storage key and the mesh can rebuild its index ({@link #rebuildIndex}).
 */
final class ManifestCopies {
    private static final Logger LOG = EscapingLogger.of(ManifestCopies.class);
    static final String MANIFEST_AAD = "offgrid-manifest-v1";

    private final ShardClient shards;
    private final MeshClient mesh;
    private final ManifestBook book;
    private final ObjectCipher cipher;
    private final byte[] storageKey;

    ManifestCopies(ShardClient shards, MeshClient mesh, ManifestBook book, ObjectCipher cipher, byte[] storageKey) {
        this.shards = shards;
        this.mesh = mesh;
        this.book = book;
        this.cipher = cipher;
        this.storageKey = storageKey.clone();
    }

    /** A sealed copy of the manifest on every host that holds a shard of the object. */
    void store(Manifest manifest) throws IOException {
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
                LOG.warn("object {}: the {} on {} was not stored: {}", manifest.key(),
                        manifest.deleted() ? "tombstone" : "manifest copy", placed.get(i).nodeId(), answer.reason());
            }
        }
    }

    void delete(Manifest manifest) {
        List<CompletableFuture<ShardClient.Answer>> deletes = new ArrayList<>();
        for (Manifest.ShardPlace place : manifest.shards()) {
            if (place.placed()) {
                deletes.add(shards.delete(place.host(), place.nodeId(), manifest.manifestShardId()));
            }
        }
        deletes.forEach(CompletableFuture::join);
    }

    /**
     * Rebuilds the index from the mesh alone: every {@code m-} shard on every host the broker knows,
     * opened with the storage key; per key the newest version (then revision) wins. A key whose newest
     * is a tombstone stays deleted, and what a host that was down at the delete still holds of it (its
     * shards, older manifest copies) is deleted now. For {@code restore}.
     *
     * @return how many objects the index now holds
     */
    int rebuildIndex() throws IOException {
        Map<String, Manifest> newest = new java.util.HashMap<>();
        List<Copy> found = new ArrayList<>();
        Map<String, Manifest> opened = new java.util.HashMap<>(); // by shard id: the same copy on several hosts
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
                Manifest manifest = opened.containsKey(shardId) ? opened.get(shardId)
                        : open(host, shardId, shard.path("sha256").asText());
                if (manifest != null) {
                    found.add(new Copy(host, shardId, manifest));
                    opened.put(shardId, manifest);
                    newest.merge(manifest.key(), manifest, (a, b) -> b.newerThan(a) ? b : a);
                }
            }
        }
        int live = 0;
        for (Manifest manifest : newest.values()) {
            book.save(manifest);
            if (manifest.deleted()) {
                removeStrays(manifest, found);
            } else {
                live++;
            }
        }
        return live;
    }

    /** One sealed manifest copy found on a host. */
    private record Copy(MeshClient.MeshHost host, String shardId, Manifest manifest) {
    }

    /** The manifest in copy {@code shardId} on {@code host}, or null when it cannot be read with this key. */
    private Manifest open(MeshClient.MeshHost host, String shardId, String sha256) {
        ShardClient.Answer got = shards.get(host.host(), host.nodeId(), shardId).join();
        if (got.status() != 200 || !Digests.sha256Hex(got.body()).equals(sha256)) {
            return null; // another host's copy may be good
        }
        try {
            return Json.mapper().readValue(cipher.open(storageKey, got.body(), MANIFEST_AAD), Manifest.class);
        } catch (GeneralSecurityException | IOException e) {
            LOG.warn("restore: manifest {} on {} does not open with this storage key: skipped", shardId, host.nodeId());
            return null;
        }
    }

    /** Deletes what hosts still hold of a deleted object: its shards and the copies the tombstone outranks. */
    private void removeStrays(Manifest tombstone, List<Copy> found) {
        List<CompletableFuture<ShardClient.Answer>> deletes = new ArrayList<>();
        for (Manifest.ShardPlace place : tombstone.shards()) {
            if (place.placed()) {
                deletes.add(shards.delete(place.host(), place.nodeId(), place.shardId()));
            }
        }
        for (Copy copy : found) {
            if (copy.manifest().objectId().equals(tombstone.objectId()) && tombstone.newerThan(copy.manifest())) {
                deletes.add(shards.delete(copy.host().host(), copy.host().nodeId(), copy.shardId()));
                LOG.info("restore: object {} was deleted ({}); {} still held {}, deleted now", tombstone.key(),
                        tombstone.deletedAt(), copy.host().nodeId(), copy.shardId());
            }
        }
        deletes.forEach(CompletableFuture::join);
    }
}
