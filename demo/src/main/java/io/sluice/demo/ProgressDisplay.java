package io.sluice.demo;

import io.sluice.driver.runtime.PipelineMetrics;

/** One console line per interval: produced and processed events per second, dead letters, lag and batch delay. */
final class ProgressDisplay {
    private final long started = System.nanoTime();
    private long lastProduced;
    private long lastProcessed;
    private long lastNanos = started;

    /** @param alreadyProduced events sent by earlier runs, so the first rate shown is this run's */
    ProgressDisplay(long alreadyProduced) {
        this.lastProduced = alreadyProduced;
    }

    void print(long produced, PipelineMetrics.Snapshot m, long lag) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long processed = m.records();
        System.out.printf(
                "[%4ds] produced %,d (%,.0f/s) | processed %,d (%,.0f/s) | dead letters %,d | lag %,d"
                        + " | batches %,d | batch delay %s%n",
                (now - started) / 1_000_000_000L,
                produced,
                (produced - lastProduced) / seconds,
                processed,
                (processed - lastProcessed) / seconds,
                m.deadLetters(),
                lag,
                m.batches(),
                m.processingDelayMs() < 0 ? "-" : (m.processingDelayMs() + m.schedulingDelayMs()) + " ms");
        lastProduced = produced;
        lastProcessed = processed;
        lastNanos = now;
    }
}
