package com.sheratan.offgrid.broker;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The last auction answer per job_id, for {@code GET /results/{job_id}}: at most {@code limit}
 * answers (a job's replaced answer counts until it is forgotten) and {@code capacity} bytes of
 * them; the oldest are forgotten first, and an answer larger than the capacity is not kept at all
 * (the core keeps every job's result in its job store).
 *
 * <p>The answers are copied into one array of {@code capacity} bytes, used as a ring: each answer
 * goes after the one before, or back at the start when it does not fit before the end, and the
 * oldest answers it would overwrite are forgotten first. Two reasons for the ring instead of an
 * array per answer: the bytes held stay bounded whatever the hosts answer (five {@code read_file}
 * answers of 22 MB used to fill the one-process mesh's heap for good), and under load the kept
 * answers no longer outlive young collections only to die in the old generation, where they were
 * the largest part of the garbage (docs/benchmarks.md, "Why the code is as it is").
 */
public final class ResultStore {
    /** One kept answer: where it is in the ring. */
    private record Kept(String jobId, int offset, int length) {
        int end() {
            return offset + length;
        }
    }

    private final int limit;
    private final byte[] ring;
    /** Oldest first; which is also ring order, from the oldest answer on. */
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private final Map<String, Kept> byJobId = new HashMap<>();
    /** Where the next answer goes, unless it does not fit before the end of the ring. */
    private int next;

    public ResultStore(int limit, int capacity) {
        if (limit < 1 || capacity < 1) {
            throw new IllegalArgumentException("a result store keeps at least one answer of one byte, not "
                    + limit + " answers of " + capacity + " bytes");
        }
        this.limit = limit;
        this.ring = new byte[capacity];
    }

    /** Keeps {@code answer} as the job's last; an earlier answer of the job is forgotten either way. */
    public synchronized void put(String jobId, byte[] answer) {
        byJobId.remove(jobId);
        if (answer.length > ring.length) {
            return;
        }
        int offset = next;
        if (offset + answer.length > ring.length) {
            // back to the start: what is still kept beyond this point is older than anything before it
            while (!kept.isEmpty() && kept.peekFirst().offset() >= next) {
                forgetOldest();
            }
            offset = 0;
        }
        int end = offset + answer.length;
        while (!kept.isEmpty() && (kept.size() >= limit || overlaps(kept.peekFirst(), offset, end))) {
            forgetOldest();
        }
        System.arraycopy(answer, 0, ring, offset, answer.length);
        Kept entry = new Kept(jobId, offset, answer.length);
        kept.addLast(entry);
        byJobId.put(jobId, entry);
        next = end;
    }

    /** The job's last answer, or null when it is not kept (never seen, forgotten, or too large). */
    public synchronized byte[] get(String jobId) {
        Kept entry = byJobId.get(jobId);
        return entry == null ? null : Arrays.copyOfRange(ring, entry.offset(), entry.end());
    }

    private static boolean overlaps(Kept entry, int offset, int end) {
        return entry.offset() < end && offset < entry.end();
    }

    private void forgetOldest() {
        Kept oldest = kept.removeFirst();
        // a later answer of the same job is kept under its own entry
        byJobId.remove(oldest.jobId(), oldest);
    }
}
