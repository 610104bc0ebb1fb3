package com.sheratan.offgrid.ledger;

/**
 * The ledger does not hold what the broker wrote: an edited, missing or extra entry, or a root
 * that differs from a signed checkpoint. {@link #seq()} is the first bad entry (or, when only a
 * checkpoint's root shows the change, the first entry that checkpoint does not vouch for).
 */
public final class LedgerCorrupted extends RuntimeException {
    private final long seq;

    public LedgerCorrupted(long seq, String reason) {
        super("first bad seq " + seq + ": " + reason);
        this.seq = seq;
    }

    public long seq() {
        return seq;
    }
}
