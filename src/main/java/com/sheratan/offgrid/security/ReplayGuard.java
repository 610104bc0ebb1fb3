package com.sheratan.offgrid.security;

/**
 * Remembers nonces for a window (600 s by default) so a captured request cannot be sent again.
 *
 * <p>A nonce is kept as a 64-bit fingerprint of key id and nonce in one of two generations: the
 * current one takes new nonces, the previous one is still consulted, and when the current one is a
 * window old it becomes the previous one and the old previous one is dropped whole. So every
 * nonce is remembered for at least the window (at most two), a request costs two lookups in
 * primitive hash tables, and there is no scan of expired entries. Memory is about 16 bytes per
 * remembered nonce instead of about 150 for a map of strings: at 3,000 signed requests per second a
 * 600 s window holds 1.8 million nonces, about 30 MiB here against some 270 MiB as strings.
 *
 * <p>Two different nonces share a fingerprint with a probability of about n²/2⁶⁵ (below 10⁻⁷ for
 * 2 million remembered nonces); such a request would be refused as a replay, never a replay
 * accepted.
 *
 * <p>Given a {@link NonceJournal}, the guard starts from the nonces it kept and keeps every new one
 * there, so a restart of the role forgets none.
 */
public final class ReplayGuard {
    private final long windowSeconds;
    private final NonceJournal journal;
    private FingerprintSet current = new FingerprintSet();
    private FingerprintSet previous = new FingerprintSet();
    private long currentSince = Long.MIN_VALUE;

    /** A guard that remembers nonces in memory only. */
    public ReplayGuard(long windowSeconds) {
        this.windowSeconds = windowSeconds;
        this.journal = null;
    }

    /** A guard that starts from what {@code journal} kept and keeps every new nonce there. */
    public ReplayGuard(long windowSeconds, NonceJournal journal) {
        this.windowSeconds = windowSeconds;
        this.journal = journal;
        NonceJournal.Kept kept = journal.load();
        if (kept.currentSince() != Long.MIN_VALUE) {
            currentSince = kept.currentSince();
            for (long fingerprint : kept.current()) {
                current.add(fingerprint);
            }
            for (long fingerprint : kept.previous()) {
                previous.add(fingerprint);
            }
        }
    }

    /** True when this nonce has not been seen within the window; it is then remembered. */
    public synchronized boolean firstUse(String keyId, String nonce, long nowSeconds) {
        if (currentSince == Long.MIN_VALUE) {
            currentSince = nowSeconds;
            if (journal != null) {
                journal.newGeneration(nowSeconds, false);
            }
        } else if (nowSeconds - currentSince >= windowSeconds) {
            // more than two windows idle: nothing of the previous generation is needed either
            boolean keepPrevious = nowSeconds - currentSince < 2 * windowSeconds;
            previous = keepPrevious ? current : new FingerprintSet();
            current = new FingerprintSet();
            currentSince = nowSeconds;
            if (journal != null) {
                journal.newGeneration(nowSeconds, keepPrevious);
            }
        }
        long fingerprint = fingerprint(keyId, nonce);
        if (previous.contains(fingerprint) || !current.add(fingerprint)) {
            return false;
        }
        if (journal != null) {
            journal.append(fingerprint);
        }
        return true;
    }

    /** Nonces remembered now (both generations). */
    public synchronized int size() {
        return current.size() + previous.size();
    }

    /** FNV-1a over the characters of key id, a separator and nonce, then the 64-bit finaliser of MurmurHash3. */
    private static long fingerprint(String keyId, String nonce) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, keyId);
        h *= 0x100000001b3L; // the separator, a zero character
        h = mix(h, nonce);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** An open-addressing set of longs (linear probing, 0 marks a free slot and is stored aside). */
    static final class FingerprintSet {
        private long[] slots = new long[1024];
        private int size;
        private boolean hasZero;

        boolean contains(long value) {
            return value == 0 ? hasZero : slots[slotOf(value)] == value;
        }

        /** True when added, false when it was there already. */
        boolean add(long value) {
            if (value == 0) {
                if (hasZero) {
                    return false;
                }
                hasZero = true;
                size++;
                return true;
            }
            if ((size + 1) * 2 > slots.length) {
                grow();
            }
            int i = slotOf(value);
            if (slots[i] == value) {
                return false;
            }
            slots[i] = value;
            size++;
            return true;
        }

        int size() {
            return size;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (long value : old) {
                if (value != 0) {
                    slots[slotOf(value)] = value;
                }
            }
        }

        /** Where {@code value} (not 0) is, or the free slot where it would go: linear probing from its index. */
        private int slotOf(long value) {
            int mask = slots.length - 1;
            int i = index(value, mask);
            while (slots[i] != value && slots[i] != 0) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private static int index(long value, int mask) {
            return (int) (value ^ (value >>> 32)) & mask;
        }
    }
}
