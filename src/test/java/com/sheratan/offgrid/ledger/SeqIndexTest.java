package com.sheratan.offgrid.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The ledger's compact index: a fingerprint only says where to look; the entry there decides. */
class SeqIndexTest {
    @Test
    void aFingerprintWhoseEntryIsAnotherAttemptFindsNothing() {
        SeqIndex index = new SeqIndex();
        index.add(0, "job-1", "att-1");
        assertEquals(0, index.attempt("job-1", "att-1", (seq, job, attempt) -> true));
        // as when two ids share a fingerprint: the entry at the seq is not this attempt
        assertNull(index.attempt("job-1", "att-1", (seq, job, attempt) -> false));
        assertNull(index.attempt("job-2", "att-1", (seq, job, attempt) -> true));
    }

    @Test
    void aSecondAttemptWithTheSameFingerprintIsKeptUnderItsWholeIds() {
        SeqIndex index = new SeqIndex();
        index.add(0, "job-1", "att-1");
        index.add(1, "job-1", "att-1"); // stands for a different attempt of the same fingerprint
        assertEquals(1, index.attempt("job-1", "att-1", (seq, job, attempt) -> seq == 1));
        assertArrayEquals(new int[] {0, 1}, index.job("job-1"));
        assertArrayEquals(new int[0], index.job("job-9"));
    }
}
