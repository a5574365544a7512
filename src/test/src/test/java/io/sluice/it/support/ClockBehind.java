package io.sluice.it.support;

import org.apache.spark.SparkEnv;
import org.apache.spark.util.Clock;

/**
 * A streaming clock ({@code spark.streaming.clock}) running {@link #BEHIND_KEY} ms (default {@link #BEHIND_MS}) behind
 * this host's: a driver that takes over on a host whose clock is wrong, or was stepped back by NTP.
 */
public final class ClockBehind implements Clock {
    public static final long BEHIND_MS = 30_000;
    /** The Spark property that sets how far behind, in ms. */
    public static final String BEHIND_KEY = "spark.sluice.test.clock-behind-ms";

    private final long behindMs;

    public ClockBehind() {
        SparkEnv env = SparkEnv.get();
        behindMs = env == null ? BEHIND_MS : env.conf().getLong(BEHIND_KEY, BEHIND_MS);
    }

    @Override
    public long getTimeMillis() {
        return System.currentTimeMillis() - behindMs;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long waitTillTime(long targetTime) {
        long now = getTimeMillis();
        while (now < targetTime) {
            try {
                Thread.sleep(Math.min(25, targetTime - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return getTimeMillis();
            }
            now = getTimeMillis();
        }
        return now;
    }
}
