package io.sluice.jobs.results;

import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.datasketches.hll.HllSketch;

/**
 * The task side of the results jobs, a pure function: walks a partition batch's valid events in offset order with
 * the partition's clock, moves events too late for a revision to the dead letters (reason {@code too_late}), and sums
 * what the others add to the counts and the top-experiments buckets; the late ones among them (behind the
 * partition's watermark) are counted as revisions of their windows.
 */
public final class ResultsAggregator {
    private ResultsAggregator() {}

    /** A batch with its late events moved to the dead letters, and what its on-time events add to the results. */
    public record Classified(PartitionBatch batch, PartitionResults results) {}

    /** @param clockBefore the partition's clock at the batch's first offset ({@link EventClock#NO_TIME} if none) */
    public static Classified classify(ResultsSettings settings, PartitionBatch batch, long clockBefore) {
        return classify(settings, batch, clockBefore, Collections.emptySortedMap(), true);
    }

    /**
     * As {@link #classify(ResultsSettings, PartitionBatch, long)}, for a replay across offsets where the driver raised
     * the partition's clock ({@code floors}: offset to clock, see {@code ReplayPosition#floors}): from the event at
     * such an offset on, the clock is at least that.
     */
    public static Classified classify(
            ResultsSettings settings, PartitionBatch batch, long clockBefore, SortedMap<Long, Long> floors) {
        return classify(settings, batch, clockBefore, floors, true);
    }

    /**
     * For push ingestion, whose blocks of one batch have no order among them: every event of the batch is judged
     * against the clock at the batch's start (the clock does not advance within the batch), so each block can be
     * classified on its own and a replay of the batch, block by block or from the archive, decides the same.
     */
    public static Classified classifyAtBatchClock(ResultsSettings settings, PartitionBatch batch, long clockBefore) {
        return classify(settings, batch, clockBefore, Collections.emptySortedMap(), false);
    }

    private static Map<VariationWindow, byte[]> compact(Map<VariationWindow, HllSketch> sketches) {
        Map<VariationWindow, byte[]> bytes = new HashMap<>();
        sketches.forEach((row, sketch) -> bytes.put(row, sketch.toCompactByteArray()));
        return bytes;
    }

    private static Classified classify(
            ResultsSettings settings,
            PartitionBatch batch,
            long clockBefore,
            SortedMap<Long, Long> floors,
            boolean advancePerEvent) {
        long clock = clockBefore;
        long after = clockBefore;
        Iterator<Map.Entry<Long, Long>> raised = floors.entrySet().iterator();
        Map.Entry<Long, Long> floor = raised.hasNext() ? raised.next() : null;
        List<PositionedEvent> onTime = new ArrayList<>(batch.valid().size());
        List<DeadLetter> dead = new ArrayList<>(batch.deadLetters());
        Map<CountCell, Long> counts = new HashMap<>();
        Map<VariationWindow, Set<String>> visitors = new HashMap<>();
        Map<VariationWindow, HllSketch> sketches = new HashMap<>();
        Map<Long, Map<ExperimentKey, Long>> traffic = new HashMap<>();
        Map<Long, BucketStart> firstOffsets = new HashMap<>();
        Map<VariationWindow, Long> revisions = new HashMap<>();
        Set<Long> revisedBuckets = new HashSet<>();
        long lateEvents = 0;
        long future = 0;
        for (PositionedEvent positioned : batch.valid()) {
            while (floor != null && floor.getKey() <= positioned.offset()) {
                clock = EventClock.advance(clock, floor.getValue());
                after = EventClock.advance(after, floor.getValue());
                floor = raised.hasNext() ? raised.next() : null;
            }
            Event e = positioned.event();
            if (EventClock.future(e.ts(), positioned.arrival(), settings.maxFutureMs())) {
                future++;
                dead.add(new DeadLetter(
                        batch.range().key(),
                        positioned.offset(),
                        DeadLetterReason.FUTURE,
                        "event time " + e.ts() + " is more than " + settings.maxFutureMs() + " ms ahead of its arrival "
                                + positioned.arrival(),
                        positioned.raw()));
                continue;
            }
            boolean late = EventClock.late(e.ts(), clock, settings.allowedLatenessMs());
            if (late) {
                lateEvents++;
                if (EventClock.tooLate(e.ts(), clock, settings.allowedLatenessMs(), settings.reviseWithinMs())) {
                    dead.add(new DeadLetter(
                            batch.range().key(),
                            positioned.offset(),
                            DeadLetterReason.TOO_LATE,
                            "event time " + e.ts() + " is more than " + settings.reviseWithinMs()
                                    + " ms behind the partition's watermark "
                                    + EventClock.watermark(clock, settings.allowedLatenessMs()),
                            positioned.raw()));
                    continue;
                }
            }
            onTime.add(late ? positioned.asLate() : positioned);
            CountCell cell = CountCell.of(settings, e);
            counts.merge(cell, 1L, Long::sum);
            if (late) { // counted by a revision of its window: archived and stored like the others
                revisions.merge(VariationWindow.of(cell), 1L, Long::sum);
                revisedBuckets.add(settings.bucketStart(e.ts()));
            }
            if (e.userId() != null) {
                switch (settings.visitors()) {
                    case EXACT -> visitors.computeIfAbsent(VariationWindow.of(cell), w -> new HashSet<>())
                            .add(e.userId());
                    case HLL -> sketches.computeIfAbsent(
                                    VariationWindow.of(cell), w -> VisitorSketches.newSketch(settings.hllLgK()))
                            .update(e.userId());
                    case OFF -> {}
                }
            }
            long bucket = settings.bucketStart(e.ts());
            traffic.computeIfAbsent(bucket, b -> new HashMap<>()).merge(cell.experiment(), 1L, Long::sum);
            firstOffsets.putIfAbsent(bucket, new BucketStart(positioned.offset(), clock));
            after = EventClock.advance(after, e.ts(), positioned.arrival());
            if (advancePerEvent) {
                clock = after;
            }
        }
        if (lateEvents + future > 0) {
            dead.sort(Comparator.comparingLong(DeadLetter::offset));
        }
        PartitionResults results = new PartitionResults(
                batch.range().key(),
                after,
                counts,
                visitors,
                compact(sketches),
                revisions,
                revisedBuckets,
                traffic,
                firstOffsets,
                lateEvents,
                future);
        return new Classified(new PartitionBatch(batch.range(), onTime, dead), results);
    }
}
