package com.sheratan.offgrid.ledger;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which seq charged an attempt, and which seqs charged a job, in about 100 bytes per entry: keyed
 * by 64-bit fingerprints of the ids rather than the ids (which would be several hundred bytes an
 * entry in a broker that keeps running). A fingerprint says where to look; the caller compares the
 * entry there with the ids it has, so two ids with the same fingerprint — by chance or made on
 * purpose — only cost a look at the file: the second attempt is then kept under its whole ids.
 * Not thread-safe; the ledger guards it.
 */
final class SeqIndex {
    private static final int[] NONE = new int[0];

    private final Map<Long, Integer> attempts = new HashMap<>();
    private final Map<String, Integer> sharedFingerprint = new HashMap<>();
    private final Map<Long, int[]> jobs = new HashMap<>();

    /** Reads the job and attempt ids of a seq (from the log). */
    @FunctionalInterface
    interface Ids {
        boolean isAttempt(int seq, String jobId, String attemptId);
    }

    void add(int seq, String jobId, String attemptId) {
        long attempt = fingerprint(jobId + '\u0000' + attemptId);
        if (attempts.putIfAbsent(attempt, seq) != null) {
            sharedFingerprint.put(jobId + '\u0000' + attemptId, seq);
        }
        jobs.merge(fingerprint(jobId), new int[] {seq}, (old, one) -> {
            int[] more = Arrays.copyOf(old, old.length + 1);
            more[old.length] = one[0];
            return more;
        });
    }

    /** The seq that charged this attempt, or null. */
    Integer attempt(String jobId, String attemptId, Ids ids) {
        Integer seq = attempts.get(fingerprint(jobId + '\u0000' + attemptId));
        if (seq == null || ids.isAttempt(seq, jobId, attemptId)) {
            return seq;
        }
        return sharedFingerprint.get(jobId + '\u0000' + attemptId);
    }

    /** The seqs that may have charged this job, oldest first (the caller keeps those whose job_id it is). */
    int[] job(String jobId) {
        return jobs.getOrDefault(fingerprint(jobId), NONE).clone();
    }

    /** FNV-1a over the UTF-16 code units, 64 bits. */
    static long fingerprint(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
