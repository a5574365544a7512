package io.sluice.testkit.generator;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.CountCell;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsSnapshot;
import io.sluice.jobs.results.VariationWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a generator run of {@code count} events must produce, derived from what the generator knows it sent and the
 * rules DESIGN and docs/commit-protocol.md state, never from what the pipeline wrote: the valid on-time event ids, the
 * ones the pipeline must find late or too far ahead of their arrival, the resends it must drop, and every dead letter
 * by reason. Event time follows each partition's clock (the largest time of its on-time events so far, in sequence
 * order, each bounded by its arrival).
 *
 * @param generator what sent the events
 * @param deadLettersByReason every dead letter the pipeline must write, by reason code ({@code too_late} and
 *     {@code future} included)
 * @param resends records that repeat an earlier event's {@code event_id}: dropped, written nowhere
 * @param tooLateIds the events further behind their partition's watermark than the revise span: dead letters
 *     {@code too_late}
 * @param onTimeSeqs the sequence numbers of the events counted, for {@link #results}: the on-time ones and the late
 *     ones within the revise span
 * @param revisedSeqs those of them that were late: each revises its window
 */
public record GroundTruth(
        EventGenerator generator,
        long sent,
        Set<String> validIds,
        Set<String> tooLateIds,
        Set<String> futureIds,
        long malformed,
        long resends,
        Map<String, Long> deadLettersByReason,
        List<Long> onTimeSeqs,
        Set<Long> revisedSeqs) {

    /** Without lateness: every valid event is on time (the results jobs are off). */
    public static GroundTruth of(EventGenerator generator, long count) {
        return of(generator, count, 1, -1);
    }

    /**
     * @param partitions the topic's partitions (events go to {@link EventGenerator#partition})
     * @param allowedLatenessMs {@code sluice.job.results.allowed-lateness-ms}; negative when the results jobs are off
     */
    public static GroundTruth of(EventGenerator generator, long count, int partitions, long allowedLatenessMs) {
        return of(generator, count, partitions, allowedLatenessMs, ResultsSettings.DEFAULT_MAX_FUTURE_MS);
    }

    /**
     * @param allowedLatenessMs {@code sluice.job.results.allowed-lateness-ms}; negative when the results jobs are off (then
     *     nothing is late or too far ahead)
     * @param maxFutureMs {@code sluice.job.results.max-future-ms}
     */
    public static GroundTruth of(
            EventGenerator generator, long count, int partitions, long allowedLatenessMs, long maxFutureMs) {
        return of(generator, count, partitions, allowedLatenessMs, maxFutureMs, 0);
    }

    /**
     * @param reviseWithinMs {@code sluice.job.results.revise-within-ms}: a late event at most this far behind its
     *     partition's watermark is counted, as a revision of its window; further behind it is too late
     */
    public static GroundTruth of(
            EventGenerator generator,
            long count,
            int partitions,
            long allowedLatenessMs,
            long maxFutureMs,
            long reviseWithinMs) {
        boolean results = allowedLatenessMs >= 0;
        Set<String> valid = new HashSet<>();
        Set<String> late = new HashSet<>();
        Set<Long> revised = new HashSet<>();
        Set<String> future = new HashSet<>();
        Map<String, Long> reasons = new TreeMap<>();
        List<Long> onTime = new ArrayList<>();
        long[] clocks = new long[partitions];
        Arrays.fill(clocks, EventClock.NO_TIME);
        long malformed = 0;
        long resends = 0;
        for (long seq = 0; seq < count; seq++) {
            GeneratedEvent e = generator.event(seq);
            if (e.malformed()) {
                malformed++;
                reasons.merge(e.rejectedAs().code(), 1L, Long::sum);
                continue;
            }
            if (e.resend()) { // the original, sent before in its own partition, owns the event_id
                resends++;
                continue;
            }
            int p = EventGenerator.partition(seq, partitions);
            if (results && EventClock.future(e.ts(), e.arrival(), maxFutureMs)) {
                future.add(e.eventId());
                reasons.merge(DeadLetterReason.FUTURE.code(), 1L, Long::sum);
            } else if (results && EventClock.tooLate(e.ts(), clocks[p], allowedLatenessMs, reviseWithinMs)) {
                late.add(e.eventId());
                reasons.merge(DeadLetterReason.TOO_LATE.code(), 1L, Long::sum);
            } else {
                if (results && EventClock.late(e.ts(), clocks[p], allowedLatenessMs)) {
                    revised.add(seq); // counted, as a revision of its window; it moves no clock
                }
                valid.add(e.eventId());
                onTime.add(seq);
                clocks[p] = EventClock.advance(clocks[p], e.ts(), e.arrival());
            }
        }
        return new GroundTruth(generator, count, valid, late, future, malformed, resends, reasons, onTime, revised);
    }

    /** The event ids of {@link #revisedSeqs}: what the event store and the archive mark late. */
    public Set<String> revisedIds() {
        Set<String> ids = new HashSet<>();
        revisedSeqs.forEach(seq -> ids.add(generator.event(seq).eventId()));
        return ids;
    }

    /** The events behind their partition's watermark: counted as revisions, or dead letters when too late. */
    public long lateEvents() {
        return revisedSeqs.size() + tooLateIds.size();
    }

    /** Dead letters the pipeline must write: the malformed events, the too late ones and the ones too far ahead. */
    public long deadLetters() {
        return malformed + tooLateIds.size() + futureIds.size();
    }

    /**
     * The counts, visitors, revisions and top-experiment buckets the results table must hold, computed from the
     * generated events counted (on time, or late within the revise span), with {@code settings}' windows: what a
     * recount of a perfect archive would give, with the revision of every window.
     */
    public ResultsSnapshot results(ResultsSettings settings) {
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        Map<CountCell, Long> counts = new TreeMap<>();
        Map<VariationWindow, Set<String>> visitors = new HashMap<>();
        TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
        Map<VariationWindow, Long> revisions = new HashMap<>();
        for (long seq : onTimeSeqs) {
            if (!(parser.parse(generator.event(seq).json()) instanceof ParseOutcome.Valid valid)) {
                throw new IllegalStateException("generated event " + seq + " does not parse");
            }
            CountCell cell = CountCell.of(settings, valid.event());
            counts.merge(cell, 1L, Long::sum);
            if (revisedSeqs.contains(seq)) {
                revisions.merge(VariationWindow.of(cell), 1L, Long::sum);
            }
            visitors.computeIfAbsent(VariationWindow.of(cell), r -> new HashSet<>())
                    .add(valid.event().userId());
            traffic.computeIfAbsent(settings.bucketStart(valid.event().ts()), b -> new TreeMap<>())
                    .merge(cell.experiment(), 1L, Long::sum);
        }
        return new ResultsSnapshot(counts, visitors, traffic, revisions);
    }
}
