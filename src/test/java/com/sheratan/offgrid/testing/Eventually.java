package com.sheratan.offgrid.testing;

/** Retries an assertion for a while: for what roles do on their timers, pollers and background threads. */
public final class Eventually {
    private Eventually() {
    }

    public static void holds(Runnable assertion) {
        holds(java.time.Duration.ofSeconds(5), assertion);
    }

    public static void holds(java.time.Duration within, Runnable assertion) {
        holds(within, java.time.Duration.ofMillis(25), assertion);
    }

    /** As {@link #holds(java.time.Duration, Runnable)}, pausing {@code pause} between tries (for costly checks). */
    public static void holds(java.time.Duration within, java.time.Duration pause, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
