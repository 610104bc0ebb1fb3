package com.sheratan.offgrid.core.objects;

import java.util.List;

/** The keys an {@link ObjectStore} holds, for callers outside this package. */
public final class Manifests {
    private Manifests() {
    }

    public static List<String> keys(ObjectStore store, String prefix) {
        return store.list(prefix).stream().map(Manifest::key).toList();
    }
}
