package io.sluice.jobs.results;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The open windows of the results jobs, held by the driver between batches (docs/commit-protocol.md, "Results").
 * Batches are merged in order; a window is final, and leaves this state, once the watermark (the smallest partition
 * watermark) passes its end. With every commit the state names, per partition, the offset and clock to replay from
 * to rebuild it ({@link #positions}); a new driver rebuilds it that way ({@link #rebuild}), whether or not Spark's
 * checkpoint was readable.
 *
 * <p>Not thread-safe: used by the one output operation of each batch, one batch at a time.
 */
public final class ResultsState {
    private final ResultsSettings settings;
    private final Map<TopicPartitionKey, Long> clocks = new TreeMap<>();
    /** Open count rows: (window, experiment, variation) -> count per event type. */
    private final Map<RowKey, Map<String, Long>> counts = new HashMap<>();

    private final TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
    private final Map<TopicPartitionKey, TreeMap<Long, BucketStart>> firstOffsets = new HashMap<>();
    private long watermark = EventClock.NO_TIME;
    private long lastTopEnd = EventClock.NO_TIME;

    public ResultsState(ResultsSettings settings) {
        this.settings = settings;
    }

    /** The clock of a partition: what its next batch starts from. */
    public long clock(TopicPartitionKey partition) {
        return clocks.getOrDefault(partition, EventClock.NO_TIME);
    }

    /** The watermark: windows ending at or before it are final. */
    public long watermark() {
        return watermark;
    }

    /** How many count cells are open: for metrics and tests. */
    public int openCells() {
        return counts.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Merges one batch and returns what to write: the absolute value of every count row it touched, and a top row
     * for every window end that became final. {@code assigned} are all partitions of the stream: one that has not
     * seen an event holds the watermark back (an idle partition keeps windows open, never loses an event).
     */
    public ResultsUpdate apply(Collection<TopicPartitionKey> assigned, List<PartitionResults> batch) {
        assigned.forEach(p -> clocks.putIfAbsent(p, EventClock.NO_TIME));
        Set<RowKey> touched = new HashSet<>();
        for (PartitionResults r : batch) {
            merge(r);
            r.counts().keySet().forEach(cell -> touched.add(RowKey.of(cell)));
        }
        List<CountRow> rows = new ArrayList<>(touched.size());
        for (RowKey row : new TreeSet<>(touched)) {
            rows.add(new CountRow(row.windowStart(), row.experiment(), row.variationId(), counts.get(row)));
        }
        long next = globalWatermark();
        List<TopRow> tops = next == EventClock.NO_TIME ? List.of() : finalTops(next);
        watermark = Math.max(watermark, next);
        retire();
        return new ResultsUpdate(rows, tops, watermark);
    }

    /**
     * Rebuilds the state of a commit from a replay of every partition from its {@link ReplayPosition}: merges what
     * the replay found, sets the clocks and watermark the commit recorded, and drops what belonged to windows that
     * were final already (those were written before and are not written again).
     */
    public void rebuild(CommittedOffsets committed, List<PartitionResults> replayed) {
        replayed.forEach(this::merge);
        committed.replay().forEach((p, position) -> clocks.put(p, position.clock()));
        watermark = globalWatermark();
        lastTopEnd = watermark == EventClock.NO_TIME
                ? EventClock.NO_TIME
                : Math.floorDiv(watermark, settings.topSlideMs()) * settings.topSlideMs();
        retire();
    }

    /** Per partition, where a replay must start to rebuild this state, to be committed with {@code next}. */
    public Map<TopicPartitionKey, ReplayPosition> positions(CommittedOffsets next) {
        Map<TopicPartitionKey, ReplayPosition> positions = new TreeMap<>();
        for (Map.Entry<TopicPartitionKey, Long> p : clocks.entrySet()) {
            Long committed = next.asMap().get(p.getKey());
            if (committed == null) {
                continue;
            }
            TreeMap<Long, BucketStart> starts = firstOffsets.get(p.getKey());
            BucketStart first = null;
            if (starts != null) {
                for (BucketStart s : starts.values()) {
                    first = first == null ? s : BucketStart.earlier(first, s);
                }
            }
            positions.put(
                    p.getKey(),
                    first == null || first.offset() >= committed
                            ? new ReplayPosition(committed, p.getValue(), p.getValue())
                            : new ReplayPosition(first.offset(), first.clockBefore(), p.getValue()));
        }
        return positions;
    }

    private void merge(PartitionResults r) {
        clocks.merge(r.partition(), r.clockAfter(), (a, b) -> a == EventClock.NO_TIME ? b : Math.max(a, b));
        r.counts().forEach((cell, n) -> counts.computeIfAbsent(RowKey.of(cell), k -> new TreeMap<>())
                .merge(cell.type(), n, Long::sum));
        r.traffic().forEach((bucket, byExperiment) -> {
            Map<ExperimentKey, Long> into = traffic.computeIfAbsent(bucket, b -> new HashMap<>());
            byExperiment.forEach((experiment, n) -> into.merge(experiment, n, Long::sum));
        });
        TreeMap<Long, BucketStart> starts = firstOffsets.computeIfAbsent(r.partition(), p -> new TreeMap<>());
        r.firstOffsets().forEach((bucket, start) -> starts.merge(bucket, start, BucketStart::earlier));
    }

    private long globalWatermark() {
        long min = Long.MAX_VALUE;
        for (long clock : clocks.values()) {
            if (clock == EventClock.NO_TIME) {
                return EventClock.NO_TIME;
            }
            min = Math.min(min, EventClock.watermark(clock, settings.allowedLatenessMs()));
        }
        return clocks.isEmpty() ? EventClock.NO_TIME : min;
    }

    /** Top rows of every window end in (last written, {@code until}] whose window holds any event. */
    private List<TopRow> finalTops(long until) {
        List<TopRow> tops = new ArrayList<>();
        long slide = settings.topSlideMs();
        Long end = lastTopEnd == EventClock.NO_TIME
                ? (traffic.isEmpty() ? null : traffic.firstKey() + slide)
                : lastTopEnd + slide;
        while (end != null && end <= until) {
            if (traffic.subMap(end - settings.topWindowMs(), true, end, false).isEmpty()) {
                Long nextBucket = traffic.ceilingKey(end);
                end = nextBucket == null ? null : nextBucket + slide; // skip windows with no event at all
                continue;
            }
            tops.add(new TopRow(end, TopExperiments.at(traffic, end, settings.topWindowMs(), settings.topN())));
            lastTopEnd = end;
            end += slide;
        }
        lastTopEnd = Math.max(lastTopEnd, Math.floorDiv(until, slide) * slide); // NO_TIME is Long.MIN_VALUE
        return tops;
    }

    /** Drops windows and buckets no window that is still open needs. */
    private void retire() {
        if (watermark == EventClock.NO_TIME) {
            return;
        }
        counts.keySet().removeIf(row -> row.windowStart() + settings.windowMs() <= watermark);
        traffic.headMap(watermark - settings.topWindowMs(), true).clear();
        for (TreeMap<Long, BucketStart> starts : firstOffsets.values()) {
            starts.keySet().removeIf(bucket -> !needed(bucket));
        }
    }

    /** A slide bucket is needed while its count window or a top window over it is open. */
    private boolean needed(long bucket) {
        return settings.windowStart(bucket) + settings.windowMs() > watermark
                || bucket + settings.topWindowMs() > watermark;
    }

    /** One count row: a variation of an experiment in one window. */
    private record RowKey(long windowStart, ExperimentKey experiment, String variationId)
            implements Comparable<RowKey> {
        static RowKey of(CountCell cell) {
            return new RowKey(cell.windowStart(), cell.experiment(), cell.variationId());
        }

        @Override
        public int compareTo(RowKey other) {
            int c = experiment.compareTo(other.experiment);
            if (c != 0) {
                return c;
            }
            c = Long.compare(windowStart, other.windowStart);
            return c != 0 ? c : variationId.compareTo(other.variationId);
        }
    }
}
