package com.sheratan.offgrid.core.objects;

/** One object key is written, deleted or repaired by one thread at a time (keys share 64 striped locks). */
final class KeyLocks {
    private final Object[] locks = new Object[64];

    KeyLocks() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    Object of(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
