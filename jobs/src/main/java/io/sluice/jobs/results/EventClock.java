package io.sluice.jobs.results;

import io.sluice.checkpoint.ReplayPosition;

/**
 * Event-time rules, as pure functions. An event whose time is further ahead of its arrival than the allowed future
 * is rejected ({@code future}) and moves nothing. A partition's clock is the largest of its on-time events' times so
 * far, in offset order, each bounded by its arrival time ({@code min(ts, arrival)}), so a producer whose clock runs
 * ahead cannot drag the clock past what has actually arrived; its watermark is the clock minus the allowed lateness.
 * An event is <em>late</em> when its time is behind its partition's watermark as it stood just before the event. Every window an event belongs to ends after the
 * event's time, so an on-time event never touches a window that is final, whatever window shapes are configured.
 *
 * <p>Both are functions of the partition's events in offset order only, never of how batches were cut: a replay
 * from a recorded position with the recorded clock classifies every event exactly as the first time.
 */
public final class EventClock {
    /** The clock of a partition that has not seen an event yet. */
    public static final long NO_TIME = ReplayPosition.NO_TIME;

    private EventClock() {}

    /** The watermark of a clock: {@link #NO_TIME} until the partition has seen an event. */
    public static long watermark(long clock, long allowedLatenessMs) {
        return clock == NO_TIME ? NO_TIME : clock - allowedLatenessMs;
    }

    /** Whether an event at {@code ts} is late for a partition whose clock stands at {@code clock}. */
    public static boolean late(long ts, long clock, long allowedLatenessMs) {
        return clock != NO_TIME && ts < clock - allowedLatenessMs;
    }

    /**
     * Whether a late event at {@code ts} is too late for a revision: further than {@code reviseWithinMs} behind the
     * watermark of a partition whose clock stands at {@code clock}.
     */
    public static boolean tooLate(long ts, long clock, long allowedLatenessMs, long reviseWithinMs) {
        return clock != NO_TIME && ts < clock - allowedLatenessMs - reviseWithinMs;
    }

    /** The clock after an on-time event at {@code ts} with no arrival time. */
    public static long advance(long clock, long ts) {
        return clock == NO_TIME ? ts : Math.max(clock, ts);
    }

    /**
     * The clock after an on-time event at {@code ts} that arrived at {@code arrival} (negative or
     * {@code Long.MIN_VALUE}: unknown, then the event's own time counts).
     */
    public static long advance(long clock, long ts, long arrival) {
        return advance(clock, arrival < 0 ? ts : Math.min(ts, arrival));
    }

    /** Whether an event at {@code ts} that arrived at {@code arrival} lies further ahead than {@code maxFutureMs}. */
    public static boolean future(long ts, long arrival, long maxFutureMs) {
        return arrival >= 0 && ts - arrival > maxFutureMs;
    }
}
