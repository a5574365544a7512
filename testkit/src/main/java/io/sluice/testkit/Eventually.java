package io.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The one way tests wait: poll a condition until it holds or the deadline passes. */
public final class Eventually {
    private Eventually() {}

    /**
     * Polls {@code condition} every 250 ms until it returns true; fails after {@code deadline} with {@code what} and
     * the last exception the condition threw, if any.
     */
    public static void eventually(Duration deadline, Callable<Boolean> condition, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what, last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250); // the polling interval, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
