package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.storage.StorageScheme;
import java.time.Duration;

/**
 * The core's storage settings (application.properties, "mesh storage"): the scheme ({@code null} =
 * auto), the write quorum (0 = k + 1, at most n), the largest object, and how long one shard call may take.
 */
record StorageSettings(StorageScheme scheme, int writeQuorum, long maxObjectBytes, Duration shardTimeout) {

    int writeQuorum(StorageScheme chosen) {
        int n = chosen.n();
        return writeQuorum > 0 ? Math.min(writeQuorum, n) : Math.min(chosen.k() + 1, n);
    }
}
