package io.sluice.jobs.results;

import java.io.Serializable;

/**
 * What the results jobs compute (docs/commit-protocol.md, "Results"): exact counts per experiment, variation, event
 * type and tumbling event-time window, and the top experiments by events over a sliding event-time window.
 *
 * @param enabled off: no results, and no event is classified late
 * @param windowMs the tumbling window of the counts
 * @param allowedLatenessMs how far behind its partition's newest event time an event may be and still count
 * @param topN how many experiments a top row lists
 * @param topWindowMs the length of the sliding window of the top experiments
 * @param topSlideMs the slide of that window: one top row per window end, every {@code topSlideMs} of event time
 * @param table the HBase results table
 * @param maxFutureMs how far ahead of its arrival an event's time may be; further ahead, it is dead-lettered as
 *     {@code future} and moves no clock
 * @param idlePartitionMs how long a partition may have no records before it stops holding the watermark back; 0:
 *     never
 * @param reviseWithinMs how far behind its partition's watermark a late event may be and still be counted, by a
 *     revision of its window (final or not); further behind, it is dead-lettered as {@code too_late}. 0: every late
 *     event is too late
 * @param visitors how the distinct users of each count row are counted
 * @param hllLgK log2 of the HyperLogLog sketches' register count, when {@code visitors} is {@link VisitorCounting#HLL}
 */
public record ResultsSettings(
        boolean enabled,
        long windowMs,
        long allowedLatenessMs,
        int topN,
        long topWindowMs,
        long topSlideMs,
        String table,
        long maxFutureMs,
        long idlePartitionMs,
        long reviseWithinMs,
        VisitorCounting visitors,
        int hllLgK)
        implements Serializable {
    /** The default of {@link #maxFutureMs}. */
    public static final long DEFAULT_MAX_FUTURE_MS = 300_000;

    /** The default of {@link #hllLgK}. */
    public static final int DEFAULT_HLL_LG_K = 12;

    /** Settings that count exact visitors and revise no window (every late event is too late). */
    public ResultsSettings(
            boolean enabled,
            long windowMs,
            long allowedLatenessMs,
            int topN,
            long topWindowMs,
            long topSlideMs,
            String table,
            long maxFutureMs,
            long idlePartitionMs) {
        this(
                enabled,
                windowMs,
                allowedLatenessMs,
                topN,
                topWindowMs,
                topSlideMs,
                table,
                maxFutureMs,
                idlePartitionMs,
                0,
                VisitorCounting.EXACT,
                DEFAULT_HLL_LG_K);
    }

    public ResultsSettings(
            boolean enabled,
            long windowMs,
            long allowedLatenessMs,
            int topN,
            long topWindowMs,
            long topSlideMs,
            String table) {
        this(enabled, windowMs, allowedLatenessMs, topN, topWindowMs, topSlideMs, table, DEFAULT_MAX_FUTURE_MS);
    }

    /** Settings whose partitions are never idle. */
    public ResultsSettings(
            boolean enabled,
            long windowMs,
            long allowedLatenessMs,
            int topN,
            long topWindowMs,
            long topSlideMs,
            String table,
            long maxFutureMs) {
        this(enabled, windowMs, allowedLatenessMs, topN, topWindowMs, topSlideMs, table, maxFutureMs, 0);
    }

    public ResultsSettings {
        java.util.Objects.requireNonNull(visitors, "visitors");
        if (hllLgK < 4 || hllLgK > 21) {
            throw new IllegalArgumentException("HLL lgK must be in [4, 21], got " + hllLgK);
        }
        if (reviseWithinMs < 0) {
            throw new IllegalArgumentException("revise-within must be >= 0 ms, got " + reviseWithinMs);
        }
        if (idlePartitionMs < 0) {
            throw new IllegalArgumentException("idle partition time must be >= 0 ms, got " + idlePartitionMs);
        }
        if (maxFutureMs < 0) {
            throw new IllegalArgumentException("max future must be >= 0 ms, got " + maxFutureMs);
        }
        positive("window", windowMs);
        positive("top window", topWindowMs);
        positive("top slide", topSlideMs);
        if (allowedLatenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must be >= 0 ms, got " + allowedLatenessMs);
        }
        if (topN < 1) {
            throw new IllegalArgumentException("top N must be >= 1, got " + topN);
        }
        if (windowMs % topSlideMs != 0 || topWindowMs % topSlideMs != 0) {
            throw new IllegalArgumentException("the window (" + windowMs + " ms) and the top window (" + topWindowMs
                    + " ms) must be multiples of the top slide (" + topSlideMs + " ms)");
        }
    }

    /** The same settings counting visitors as {@code counting}, with sketches of 2^{@code lgK} registers. */
    public ResultsSettings withVisitors(VisitorCounting counting, int lgK) {
        return with(reviseWithinMs, counting, lgK);
    }

    /** The same settings revising windows for events up to {@code ms} behind their partition's watermark. */
    public ResultsSettings withReviseWithin(long ms) {
        return with(ms, visitors, hllLgK);
    }

    private ResultsSettings with(long reviseWithin, VisitorCounting counting, int lgK) {
        return new ResultsSettings(
                enabled,
                windowMs,
                allowedLatenessMs,
                topN,
                topWindowMs,
                topSlideMs,
                table,
                maxFutureMs,
                idlePartitionMs,
                reviseWithin,
                counting,
                lgK);
    }

    /** The start of the count window that holds {@code ts}. */
    public long windowStart(long ts) {
        return Math.floorDiv(ts, windowMs) * windowMs;
    }

    /** The start of the slide bucket that holds {@code ts}: the unit the top windows are made of. */
    public long bucketStart(long ts) {
        return Math.floorDiv(ts, topSlideMs) * topSlideMs;
    }

    private static void positive(String what, long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException(what + " must be > 0 ms, got " + ms);
        }
    }
}
