package io.sluice.checkpoint;

import java.time.Duration;

/**
 * Bounded exponential backoff: each failure doubles the wait, from {@code first} up to {@code max}; a success starts
 * again from {@code first}. Not thread-safe: one per retrying loop.
 */
public final class Backoff {
    private final long firstMs;
    private final long maxMs;
    private long nextMs;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff from " + first + " up to " + max);
        }
        this.firstMs = first.toMillis();
        this.maxMs = max.toMillis();
        this.nextMs = firstMs;
    }

    /** The wait after the next failure, without waiting. */
    public long nextMillis() {
        return nextMs;
    }

    /**
     * Waits after a failure, and doubles the next wait (up to the maximum).
     *
     * @return false when interrupted while waiting; the thread's interrupt flag is then set again
     */
    public boolean await() {
        long wait = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** After a success: the next failure waits the first wait again. */
    public void reset() {
        nextMs = firstMs;
    }
}
