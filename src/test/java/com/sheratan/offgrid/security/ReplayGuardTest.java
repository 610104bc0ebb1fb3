package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void aNonceIsRefusedAgainWithinTheWindowAndPerKeyId() {
        ReplayGuard guard = new ReplayGuard(600);
        assertTrue(guard.firstUse("default", "n-1", 1_000));
        assertFalse(guard.firstUse("default", "n-1", 1_000));
        assertFalse(guard.firstUse("default", "n-1", 1_599));
        assertTrue(guard.firstUse("other", "n-1", 1_000), "the same nonce under another key id is another request");
        assertTrue(guard.firstUse("default", "n-2", 1_000));
    }

    @Test
    void everyNonceIsRememberedForAtLeastTheWindowAcrossGenerations() {
        ReplayGuard guard = new ReplayGuard(600);
        assertTrue(guard.firstUse("k", "early", 0));
        assertTrue(guard.firstUse("k", "late", 599));
        // the generation turns at 600: both are still refused until a full window after their use
        assertFalse(guard.firstUse("k", "early", 600));
        assertFalse(guard.firstUse("k", "late", 1_100));
        assertFalse(guard.firstUse("k", "late", 1_198));
        // two windows later everything old has been dropped, memory included
        assertTrue(guard.firstUse("k", "late", 1_200));
        assertTrue(guard.firstUse("k", "fresh", 2_400));
        assertEquals(1, guard.size());
    }

    @Test
    void manyNoncesStayDistinctAndAreAllRefusedOnReplay() {
        ReplayGuard guard = new ReplayGuard(600);
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String nonce = UUID.randomUUID().toString();
            nonces.add(nonce);
            assertTrue(guard.firstUse("default", nonce, 10), "a fresh nonce is never refused");
        }
        assertEquals(200_000, guard.size());
        for (String nonce : nonces) {
            assertFalse(guard.firstUse("default", nonce, 20));
        }
    }

    @Test
    void whereKeyIdEndsAndNonceBeginsMatters() {
        ReplayGuard guard = new ReplayGuard(600);
        assertTrue(guard.firstUse("ab", "c", 10));
        assertTrue(guard.firstUse("a", "bc", 10), "key id 'a' with nonce 'bc' is another request");
        assertFalse(guard.firstUse("ab", "c", 11));
    }
}
