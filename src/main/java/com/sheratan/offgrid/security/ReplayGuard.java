package com.sheratan.offgrid.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers nonces for a window (600 s by default) so a captured request cannot be sent again.
 * Expired nonces are dropped while new ones arrive, at most every few seconds, so memory follows
 * the request rate of the last window and no background thread is needed.
 */
public final class ReplayGuard {
    private static final long PURGE_EVERY_SECONDS = 5;

    private final long windowSeconds;
    private final Map<String, Long> expiryByNonce = new ConcurrentHashMap<>();
    private final AtomicLong nextPurge = new AtomicLong();

    public ReplayGuard(long windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    /** True when this nonce has not been seen within the window; it is then remembered. */
    public boolean firstUse(String keyId, String nonce, long nowSeconds) {
        purgeExpired(nowSeconds);
        String key = keyId + '\u0000' + nonce;
        long expiry = nowSeconds + windowSeconds;
        Long previous = expiryByNonce.putIfAbsent(key, expiry);
        if (previous == null) {
            return true;
        }
        if (previous < nowSeconds) {
            return expiryByNonce.replace(key, previous, expiry);
        }
        return false;
    }

    public int size() {
        return expiryByNonce.size();
    }

    private void purgeExpired(long nowSeconds) {
        long due = nextPurge.get();
        if (nowSeconds >= due && nextPurge.compareAndSet(due, nowSeconds + PURGE_EVERY_SECONDS)) {
            expiryByNonce.values().removeIf(expiry -> expiry < nowSeconds);
        }
    }
}
