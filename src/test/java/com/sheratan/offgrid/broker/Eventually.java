package com.sheratan.offgrid.broker;

/** Retries an assertion for a few seconds: for what the broker does on its timers. */
final class Eventually {
    private Eventually() {
    }

    static void holds(Runnable assertion) {
        long deadline = System.nanoTime() + 5_000_000_000L;
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
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
