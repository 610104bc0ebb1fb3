package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.storage.StorageScheme;
import java.util.List;

/**
 * What the core knows of one object version (SPEC 13): where its shards are, their hashes, and how to
 * decrypt them (the data key wrapped with the storage key). Kept in the core's state and, sealed with
 * the storage key, on the object's hosts as shard {@code m-<object_id>-r<revision>}; {@code revision}
 * grows when repair moves a shard. A deleted version stays as a tombstone ({@code deletedAt} set, one
 * revision on), so the version count goes on and a copy left on a host that was down is outranked.
 */
record Manifest(String key, String objectId, long version, int revision, long size, String sha256,
                String contentType, String createdAt, int k, int m, int shardBytes, long cipherBytes,
                String nonce, String wrappedKey, List<ShardPlace> shards, String deletedAt) {

    /** Shard {@code index} of the object: on {@code nodeId} at {@code host}, or nowhere yet (both null). */
    record ShardPlace(int index, String shardId, String nodeId, String host, String sha256) {
        boolean placed() {
            return nodeId != null && host != null;
        }

        ShardPlace on(String newHost, String newNodeId) {
            return new ShardPlace(index, shardId, newNodeId, newHost, sha256);
        }
    }

    StorageScheme scheme() {
        return new StorageScheme(k, m);
    }

    String manifestShardId() {
        return manifestShardId(objectId, revision);
    }

    static String manifestShardId(String objectId, int revision) {
        return "m-" + objectId + "-r" + revision;
    }

    Manifest withShards(List<ShardPlace> places, int newRevision) {
        return new Manifest(key, objectId, version, newRevision, size, sha256, contentType, createdAt, k, m,
                shardBytes, cipherBytes, nonce, wrappedKey, List.copyOf(places), deletedAt);
    }

    /** This version deleted at {@code at}: one revision on, the shards' places kept (to clean up strays). */
    Manifest tombstone(String at) {
        return new Manifest(key, objectId, version, revision + 1, size, sha256, contentType, createdAt, k, m,
                shardBytes, cipherBytes, null, null, shards, at);
    }

    boolean deleted() {
        return deletedAt != null;
    }

    /** Whether this manifest outranks {@code other} of the same key: a later version, then a later revision. */
    boolean newerThan(Manifest other) {
        return version != other.version ? version > other.version : revision > other.revision;
    }

    /** The nodes that hold a shard of this object. */
    List<String> nodes() {
        return shards.stream().filter(ShardPlace::placed).map(ShardPlace::nodeId).distinct().toList();
    }
}
