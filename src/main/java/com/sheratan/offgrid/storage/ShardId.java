package com.sheratan.offgrid.storage;

import java.util.regex.Pattern;

/** A shard's name on a host (SPEC 13): 16–128 characters of {@code [A-Za-z0-9_-]}. */
public final class ShardId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private ShardId() {
    }

    public static boolean isValid(String shardId) {
        return shardId != null && VALID.matcher(shardId).matches();
    }
}
