package io.sluice.jobs.results;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The open windows of the results jobs, held by the driver between batches (docs/commit-protocol.md, "Results").
 * Batches are merged in order; a window is final once the watermark (the smallest partition watermark) passes its
 * end, and leaves this state once the watermark passes its end by the revise span ({@code revise-within-ms}): until
 * then late events still revise it, and every revision rewrites its absolute values with the number of late events
 * it counts. With every commit the state names, per partition, the offset and clock to replay from
 * to rebuild it ({@link #positions}); a new driver rebuilds it that way ({@link #rebuild}), whether or not Spark's
 * checkpoint was readable.
 *
 * <p>Partitions come and go ({@link #startClocks}). A partition that joins once the watermark exists (added to the
 * topic, or without an event so far) starts with its clock at the watermark plus the allowed lateness, so its
 * backlog can never reach a window that is final: what is behind the watermark is late. A partition without records
 * for the idle time stops holding the watermark back: its clock is raised to the smallest clock of the partitions
 * that are not idle (when all are idle, to the smallest clock: a stream that has gone quiet ends with its windows
 * final). Every raise is recorded as a floor at the partition's next offset and committed with its replay
 * position, so a replay classifies every event as the first run did, whenever the raise happened.
 *
 * <p>Not thread-safe: used by the one output operation of each batch, one batch at a time.
 */
public final class ResultsState {
    private final ResultsSettings settings;
    private final Map<TopicPartitionKey, Long> clocks = new TreeMap<>();
    /** Raised clocks not yet behind a replay position: partition to (offset to clock). */
    private final Map<TopicPartitionKey, TreeMap<Long, Long>> floors = new HashMap<>();
    /** The batch time at which each partition last had records (or was first seen). */
    private final Map<TopicPartitionKey, Long> lastRecords = new HashMap<>();
    /** Open count rows: (window, experiment, variation) -> count per event type. */
    private final Map<VariationWindow, Map<String, Long>> counts = new HashMap<>();
    /** The users of the open count rows (exact visitor counting). */
    private final Map<VariationWindow, RowVisitors> visitors = new HashMap<>();
    /** The late events counted per open count row: its revision. */
    private final Map<VariationWindow, Long> revisions = new HashMap<>();
    /** The sketches of the users of the open count rows (HyperLogLog visitor counting). */
    private final Map<VariationWindow, Union> sketches = new HashMap<>();

    private final VisitorClaims claims;

    private final TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
    private final Map<TopicPartitionKey, TreeMap<Long, BucketStart>> firstOffsets = new HashMap<>();
    private long watermark = EventClock.NO_TIME;
    private long lastTopEnd = EventClock.NO_TIME;
    private boolean raised;

    /** @param claims where the lifetime claims of visitors are kept ({@link VisitorClaims}) */
    public ResultsState(ResultsSettings settings, VisitorClaims claims) {
        this.settings = settings;
        this.claims = claims;
    }

    /**
     * Before a batch's tasks run: the clock each partition with records starts the batch from. {@code ranges} are the
     * batch's ranges of every partition of the stream, empty ones included, each starting at the partition's next
     * offset. A partition without an event so far holds the watermark back, until it has one or is idle. One that joins after
     * the watermark exists starts at the watermark plus the allowed lateness; one
     * without records for the idle time is raised to the smallest clock of the partitions that are not idle (see the
     * class comment). Raises take effect now; the batch's commit records them.
     *
     * @param batchTime the batch's time, the clock of idleness
     */
    public Map<TopicPartitionKey, Long> startClocks(Collection<SourceRange> ranges, long batchTime) {
        Set<TopicPartitionKey> idle = new HashSet<>();
        for (SourceRange r : ranges) {
            lastRecords.putIfAbsent(r.key(), batchTime);
            if (!r.isEmpty()) {
                lastRecords.put(r.key(), batchTime);
            } else if (settings.idlePartitionMs() > 0
                    && batchTime - lastRecords.get(r.key()) >= settings.idlePartitionMs()) {
                idle.add(r.key());
            }
        }
        long active = Long.MAX_VALUE; // the smallest clock of the partitions with records
        long any = Long.MAX_VALUE; // the smallest clock: when every partition is idle, the ones behind catch up
        for (Map.Entry<TopicPartitionKey, Long> c : clocks.entrySet()) {
            if (c.getValue() != EventClock.NO_TIME) {
                any = Math.min(any, c.getValue());
                if (!idle.contains(c.getKey())) {
                    active = Math.min(active, c.getValue());
                }
            }
        }
        if (active == Long.MAX_VALUE) {
            active = any;
        }
        Map<TopicPartitionKey, Long> start = new HashMap<>();
        for (SourceRange r : ranges) {
            if (watermark != EventClock.NO_TIME) { // a joining partition (a no-op for one that holds the watermark)
                raise(r.key(), r.from(), watermark + settings.allowedLatenessMs());
            }
            if (idle.contains(r.key()) && active != Long.MAX_VALUE) {
                raise(r.key(), r.from(), active);
            }
            if (!r.isEmpty()) {
                start.put(r.key(), clock(r.key()));
            }
        }
        return start;
    }

    private void raise(TopicPartitionKey partition, long offset, long to) {
        long clock = clock(partition);
        if (clock == EventClock.NO_TIME || clock < to) {
            clocks.put(partition, to);
            floors.computeIfAbsent(partition, p -> new TreeMap<>()).merge(offset, to, Math::max);
            raised = true;
        }
    }

    /**
     * Whether {@link #startClocks} raised a clock since the last {@link #positions}: the batch must commit (and write
     * the watermark it moves) even if no offset advanced.
     */
    public boolean raisedSinceCommit() {
        return raised;
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
     * How many visitors the open count rows hold (a user counts once per row; with HyperLogLog counting, none: the
     * sketches have a fixed size): for metrics and tests.
     */
    public long openVisitors() {
        return visitors.values().stream().mapToLong(v -> v.users.size()).sum();
    }

    /**
     * Merges one batch and returns what to write: the absolute value of every count row it touched, and a top row
     * for every window end that became final. {@code assigned} are all partitions of the stream: one that has not
     * seen an event holds the watermark back (an idle partition keeps windows open, never loses an event). The
     * visitors new to a touched row are claimed first ({@link VisitorClaims}): a failure to claim fails the batch.
     */
    public ResultsUpdate apply(Collection<TopicPartitionKey> assigned, List<PartitionResults> batch)
            throws IOException {
        assigned.forEach(p -> clocks.putIfAbsent(p, EventClock.NO_TIME));
        Set<VariationWindow> touched = new TreeSet<>();
        for (PartitionResults r : batch) {
            merge(r);
            r.counts().keySet().forEach(cell -> touched.add(VariationWindow.of(cell)));
        }
        resolveClaims(touched);
        List<CountRow> rows = new ArrayList<>(touched.size());
        for (VariationWindow row : touched) {
            RowVisitors v = visitors.get(row);
            Union union = sketches.get(row);
            HllSketch sketch = union == null ? null : union.getResult(TgtHllType.HLL_4);
            rows.add(new CountRow(
                    row.windowStart(),
                    row.experiment(),
                    row.variationId(),
                    counts.get(row),
                    sketch != null ? VisitorSketches.estimate(sketch) : v == null ? 0 : v.users.size(),
                    v == null ? 0 : v.newHere,
                    sketch == null ? null : sketch.toCompactByteArray(),
                    revisions.getOrDefault(row, 0L)));
        }
        long next = globalWatermark();
        long writtenTops = lastTopEnd;
        TreeMap<Long, TopRow> topRows = new TreeMap<>();
        if (next != EventClock.NO_TIME) {
            finalTops(next).forEach(top -> topRows.put(top.windowEnd(), top));
        }
        // late events revise the top rows written already whose sliding window holds their slide bucket
        Set<Long> revised = new TreeSet<>();
        batch.forEach(r -> revised.addAll(r.revisedBuckets()));
        for (long bucket : revised) {
            for (long end = bucket + settings.topSlideMs();
                    end <= bucket + settings.topWindowMs() && end <= writtenTops;
                    end += settings.topSlideMs()) {
                topRows.computeIfAbsent(
                        end,
                        e -> new TopRow(e, TopExperiments.at(traffic, e, settings.topWindowMs(), settings.topN())));
            }
        }
        List<TopRow> tops = new ArrayList<>(topRows.values());
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
        rebuild(committed, replayed, p -> true);
    }

    /**
     * As {@link #rebuild(CommittedOffsets, List)}, keeping only the partitions {@code sources} accepts: a topic removed
     * from the configuration drops out of the clocks (it would hold the watermark back for good).
     */
    public void rebuild(
            CommittedOffsets committed, List<PartitionResults> replayed, Predicate<TopicPartitionKey> sources) {
        // whatever this state held is dropped: a lagging results job rebuilds the same instance before it catches up
        clocks.clear();
        floors.clear();
        lastRecords.clear();
        counts.clear();
        visitors.clear();
        revisions.clear();
        sketches.clear();
        traffic.clear();
        firstOffsets.clear();
        raised = false;
        replayed.stream().filter(r -> sources.test(r.partition())).forEach(this::merge);
        committed.replay().forEach((p, position) -> {
            if (sources.test(p)) {
                clocks.put(p, position.clock());
                if (!position.floors().isEmpty()) {
                    floors.put(p, new TreeMap<>(position.floors()));
                }
            }
        });
        watermark = globalWatermark();
        lastTopEnd = watermark == EventClock.NO_TIME
                ? EventClock.NO_TIME
                : Math.floorDiv(watermark, settings.topSlideMs()) * settings.topSlideMs();
        retire();
    }

    /** Per partition, where a replay must start to rebuild this state, to be committed with {@code next}. */
    public Map<TopicPartitionKey, ReplayPosition> positions(CommittedOffsets next) {
        raised = false;
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
            TreeMap<Long, Long> raised = floors.get(p.getKey());
            if (first == null || first.offset() >= committed) {
                positions.put(p.getKey(), new ReplayPosition(committed, p.getValue(), p.getValue()));
                if (raised != null) {
                    raised.headMap(committed, false).clear(); // behind any future replay position
                }
            } else {
                if (raised != null) {
                    raised.headMap(first.offset(), false).clear();
                }
                positions.put(
                        p.getKey(),
                        new ReplayPosition(
                                first.offset(),
                                first.clockBefore(),
                                p.getValue(),
                                raised == null ? new TreeMap<>() : raised.headMap(committed, false)));
            }
        }
        return positions;
    }

    private void merge(PartitionResults r) {
        clocks.merge(r.partition(), r.clockAfter(), (a, b) -> a == EventClock.NO_TIME ? b : Math.max(a, b));
        r.counts().forEach((cell, n) -> counts.computeIfAbsent(VariationWindow.of(cell), k -> new TreeMap<>())
                .merge(cell.type(), n, Long::sum));
        r.visitors().forEach((row, users) -> {
            RowVisitors v = visitors.computeIfAbsent(row, k -> new RowVisitors());
            for (String user : users) {
                if (v.users.add(user)) {
                    v.unresolved.add(user);
                }
            }
        });
        r.revisions().forEach((row, n) -> revisions.merge(row, n, Long::sum));
        r.visitorSketches()
                .forEach((row, bytes) -> sketches.computeIfAbsent(row, k -> VisitorSketches.newUnion(settings.hllLgK()))
                        .update(VisitorSketches.read(bytes)));
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

    /**
     * Drops windows and buckets no event can reach any more: an event is counted only if it is at most the revise span
     * behind its partition's watermark, so nothing reaches a window that ended that span before the watermark.
     */
    private void retire() {
        if (watermark == EventClock.NO_TIME) {
            return;
        }
        long horizon = revisable();
        counts.keySet().removeIf(row -> row.windowStart() + settings.windowMs() <= horizon);
        visitors.keySet().removeIf(row -> row.windowStart() + settings.windowMs() <= horizon);
        revisions.keySet().removeIf(row -> row.windowStart() + settings.windowMs() <= horizon);
        sketches.keySet().removeIf(row -> row.windowStart() + settings.windowMs() <= horizon);
        traffic.headMap(horizon - settings.topWindowMs(), true).clear();
        for (TreeMap<Long, BucketStart> starts : firstOffsets.values()) {
            starts.keySet().removeIf(bucket -> !needed(bucket));
        }
    }

    /** A slide bucket is needed while its count window or a top window over it can still be revised. */
    private boolean needed(long bucket) {
        long horizon = revisable();
        return settings.windowStart(bucket) + settings.windowMs() > horizon
                || bucket + settings.topWindowMs() > horizon;
    }

    /** Windows ending after this can still be reached by an event: the watermark less the revise span. */
    private long revisable() {
        return watermark == EventClock.NO_TIME ? EventClock.NO_TIME : watermark - settings.reviseWithinMs();
    }

    /**
     * Claims the visitors of the rows {@code touched} that are new to their row since it was last written (or since
     * the state was rebuilt), and counts those whose claim names their row as new there. A user new to two rows
     * claims the earlier window.
     */
    private void resolveClaims(Set<VariationWindow> touched) throws IOException {
        Map<Visitor, Long> wanted = new HashMap<>();
        for (VariationWindow row : touched) {
            RowVisitors v = visitors.get(row);
            if (v != null) {
                for (String user : v.unresolved) {
                    wanted.merge(new Visitor(row.variation(), user), row.windowStart(), Math::min);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Map<Visitor, Long> claimed = claims.claim(wanted);
        for (VariationWindow row : touched) {
            RowVisitors v = visitors.get(row);
            if (v != null) {
                for (String user : v.unresolved) {
                    Long window = claimed.get(new Visitor(row.variation(), user));
                    if (window == null) {
                        throw new IllegalStateException("no claim returned for user " + user + " of " + row);
                    }
                    if (window == row.windowStart()) {
                        v.newHere++;
                    }
                }
                v.unresolved.clear();
            }
        }
    }

    /** The users of one open count row; {@code unresolved}: those whose claim this state has not read yet. */
    private static final class RowVisitors {
        final Set<String> users = new HashSet<>();
        final Set<String> unresolved = new HashSet<>();
        long newHere;
    }
}
