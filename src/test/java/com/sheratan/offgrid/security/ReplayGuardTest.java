package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayGuardTest {
    @TempDir
    Path state;

    @Test
    void noncesKeptInAJournalAreRefusedByTheNextGuardOverTheSameFolder() {
        NonceJournal journal = new NonceJournal(state);
        ReplayGuard before = new ReplayGuard(600, journal);
        assertTrue(before.firstUse("default", "captured-before-restart", 1_000));
        assertTrue(before.firstUse("default", "older-one", 1_000));
        journal.stop(); // what a restart leaves: the files, not the memory

        ReplayGuard after = new ReplayGuard(600, new NonceJournal(state));
        assertFalse(after.firstUse("default", "captured-before-restart", 1_100));
        assertTrue(after.firstUse("default", "fresh-after-restart", 1_100));
        assertFalse(after.firstUse("default", "fresh-after-restart", 1_101));
    }

    @Test
    void theJournalTurnsGenerationsAsTheGuardDoes() {
        NonceJournal journal = new NonceJournal(state);
        ReplayGuard guard = new ReplayGuard(600, journal);
        assertTrue(guard.firstUse("k", "early", 0));
        assertTrue(guard.firstUse("k", "late", 599));
        assertTrue(guard.firstUse("k", "newer", 650)); // the generation turned at 650
        journal.stop();

        ReplayGuard restarted = new ReplayGuard(600, new NonceJournal(state));
        assertFalse(restarted.firstUse("k", "late", 700), "the previous generation is kept too");
        assertFalse(restarted.firstUse("k", "newer", 700));
        // two windows after the last generation began, everything old has gone, on disk as in memory
        assertTrue(restarted.firstUse("k", "late", 1_900));
        assertEquals(1, restarted.size());
    }

    @Test
    void aTornLastFingerprintIsIgnoredAndTheRestKept() throws Exception {
        NonceJournal journal = new NonceJournal(state);
        ReplayGuard guard = new ReplayGuard(600, journal);
        assertTrue(guard.firstUse("k", "whole", 10));
        journal.stop();
        Files.write(state.resolve("current.bin"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        ReplayGuard restarted = new ReplayGuard(600, new NonceJournal(state));
        assertFalse(restarted.firstUse("k", "whole", 20));
        assertEquals(1, restarted.size());
    }

    @Test
    void aLinkAtTheJournalsNameIsNeverFollowed() throws Exception {
        Path outside = Files.writeString(state.resolve("outside.txt"), "keep me");
        Path folder = Files.createDirectories(state.resolve("nonces"));
        Files.createSymbolicLink(folder.resolve("current.bin"), outside);
        NonceJournal journal = new NonceJournal(folder);
        assertThrows(java.io.UncheckedIOException.class, journal::load);
        assertEquals("keep me", Files.readString(outside));
    }

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
