package io.sluice.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The results state against a recount, without Spark: random partition logs (some events late, some out of order),
 * cut into random batches, with crashes between the results write and the commit after which the state is rebuilt
 * from the committed replay positions, exactly as a restarted driver does. The table must equal a recount of what was
 * archived, and the archive must hold exactly the events a single pass finds on time.
 */
class ResultsStateTest {
    private static final ResultsSettings SETTINGS = new ResultsSettings(true, 10_000, 3_000, 3, 30_000, 2_000, "t");

    @Test
    void anEventBehindThePartitionWatermarkIsLateAndGoesToTheDeadLetters() throws Exception {
        TopicPartitionKey p = new TopicPartitionKey("events", 0);
        PartitionBatch batch = new PartitionBatch(
                SourceRange.of("events", 0, 0, 3),
                List.of(event(0, 50_000, "e1"), event(1, 46_999, "e1"), event(2, 47_000, "e2")),
                List.of());

        ResultsAggregator.Classified classified = ResultsAggregator.classify(SETTINGS, batch, EventClock.NO_TIME);

        assertThat(classified.batch().valid())
                .extracting(PositionedEvent::offset)
                .containsExactly(0L, 2L);
        assertThat(classified.batch().deadLetters())
                .extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, DeadLetterReason.TOO_LATE));
        assertThat(classified.results().late()).isEqualTo(1);
        assertThat(classified.results().clockAfter()).isEqualTo(50_000);
        assertThat(classified.results().partition()).isEqualTo(p);
        assertThat(classified.results().firstOffsets()).containsEntry(50_000L, new BucketStart(0, EventClock.NO_TIME));
    }

    @Test
    void aWindowIsFinalOnlyWhenEveryPartitionsWatermarkPassedIt() throws Exception {
        TopicPartitionKey p0 = new TopicPartitionKey("events", 0);
        TopicPartitionKey p1 = new TopicPartitionKey("events", 1);
        ResultsState state = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        PartitionResults first = ResultsAggregator.classify(
                        SETTINGS,
                        new PartitionBatch(
                                SourceRange.of("events", 0, 0, 2),
                                List.of(event(0, 1_000, "e1"), event(1, 40_000, "e1")),
                                List.of()),
                        EventClock.NO_TIME)
                .results();

        ResultsUpdate update = state.apply(List.of(p0, p1), List.of(first));

        assertThat(update.watermark()).isEqualTo(EventClock.NO_TIME); // partition 1 has seen nothing yet
        assertThat(update.tops()).isEmpty();
        assertThat(update.counts()).hasSize(2);

        PartitionResults second = ResultsAggregator.classify(
                        SETTINGS,
                        new PartitionBatch(
                                SourceRange.of("events", 1, 0, 1), List.of(event(0, 35_000, "e2")), List.of()),
                        EventClock.NO_TIME)
                .results();
        update = state.apply(List.of(p0, p1), List.of(second));

        assertThat(update.watermark()).isEqualTo(32_000);
        assertThat(update.tops())
                .extracting(TopRow::windowEnd)
                .containsExactly(
                        2_000L, 4_000L, 6_000L, 8_000L, 10_000L, 12_000L, 14_000L, 16_000L, 18_000L, 20_000L, 22_000L,
                        24_000L, 26_000L, 28_000L, 30_000L);
        assertThat(update.tops().get(0).ranking())
                .containsExactly(new RankedExperiment(new ExperimentKey("acct", "e1"), 1));
        assertThat(state.openCells()).isEqualTo(2); // window [0, 10 s) is final and left; [30 s, 40 s) and [40 s, 50 s)
    }

    @Test
    void anIdlePartitionStopsHoldingTheWatermarkAndAReplayAppliesTheRaiseAsTheFirstRunDid() throws Exception {
        ResultsSettings idleAfter10s = new ResultsSettings(true, 10_000, 3_000, 3, 30_000, 2_000, "t", 300_000, 10_000);
        TopicPartitionKey p0 = new TopicPartitionKey("events", 0);
        TopicPartitionKey p1 = new TopicPartitionKey("events", 1);
        List<TopicPartitionKey> both = List.of(p0, p1);
        ResultsState state = new ResultsState(idleAfter10s, VisitorClaims.inMemory());
        // batch at t=0: both partitions have an event; p1 then falls silent
        List<SourceRange> ranges = List.of(SourceRange.of("events", 0, 0, 1), SourceRange.of("events", 1, 0, 1));
        state.startClocks(ranges, 0);
        state.apply(
                both,
                List.of(
                        results(idleAfter10s, ranges.get(0), List.of(event(0, 10_000, "e1")), EventClock.NO_TIME),
                        results(idleAfter10s, ranges.get(1), List.of(event(0, 58_000, "e2")), EventClock.NO_TIME)));
        CommittedOffsets committed = commit(state, CommittedOffsets.empty(), ranges);
        // p0 moves on; p1 has had no records for 5 s and still holds the watermark at 58 s - 3 s
        ranges = List.of(SourceRange.of("events", 0, 1, 2), SourceRange.of("events", 1, 1, 1));
        Map<TopicPartitionKey, Long> start = state.startClocks(ranges, 5_000);
        assertThat(start).containsOnlyKeys(p0);
        ResultsUpdate update = state.apply(
                both, List.of(results(idleAfter10s, ranges.get(0), List.of(event(1, 60_000, "e1")), start.get(p0))));
        assertThat(update.watermark()).isEqualTo(55_000);
        committed = commit(state, committed, ranges);
        // after 10 s without records p1 is idle: its clock is raised to p0's, and the watermark moves on
        ranges = List.of(SourceRange.of("events", 0, 2, 3), SourceRange.of("events", 1, 1, 1));
        start = state.startClocks(ranges, 10_000);
        update = state.apply(
                both, List.of(results(idleAfter10s, ranges.get(0), List.of(event(2, 61_000, "e1")), start.get(p0))));
        assertThat(state.clock(p1)).isEqualTo(60_000);
        assertThat(update.watermark()).isEqualTo(57_000);
        committed = commit(state, committed, ranges);
        // p1 wakes up with an event behind the new watermark: late, when first seen and when replayed
        ranges = List.of(SourceRange.of("events", 0, 3, 3), SourceRange.of("events", 1, 1, 3));
        start = state.startClocks(ranges, 11_000);
        List<PositionedEvent> log = List.of(event(0, 58_000, "e2"), event(1, 56_000, "e2"), event(2, 59_000, "e2"));
        ResultsAggregator.Classified first = ResultsAggregator.classify(
                idleAfter10s, new PartitionBatch(ranges.get(1), log.subList(1, 3), List.of()), start.get(p1));
        assertThat(first.batch().deadLetters())
                .extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, DeadLetterReason.TOO_LATE));
        state.apply(both, List.of(first.results()));
        committed = commit(state, committed, ranges);

        ReplayPosition position = committed.replay().get(p1);
        assertThat(position.from()).isZero(); // the window [50 s, 60 s) of p1 is open
        assertThat(position.floors()).containsExactly(org.assertj.core.api.Assertions.entry(1L, 60_000L));
        ResultsAggregator.Classified replayed = ResultsAggregator.classify(
                idleAfter10s,
                new PartitionBatch(SourceRange.of("events", 1, 0, 3), log, List.of()),
                position.clockAtFrom(),
                position.floors());
        assertThat(replayed.batch().deadLetters())
                .extracting(DeadLetter::offset)
                .containsExactly(1L);
        assertThat(replayed.results().clockAfter()).isEqualTo(state.clock(p1));
    }

    @Test
    void aPartitionThatJoinsLaterCannotReachAFinalWindow() throws Exception {
        TopicPartitionKey p0 = new TopicPartitionKey("events", 0);
        TopicPartitionKey added = new TopicPartitionKey("events", 1);
        ResultsState state = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        List<SourceRange> ranges = List.of(SourceRange.of("events", 0, 0, 1));
        state.startClocks(ranges, 0);
        ResultsUpdate update = state.apply(
                List.of(p0),
                List.of(results(SETTINGS, ranges.get(0), List.of(event(0, 50_000, "e1")), EventClock.NO_TIME)));
        assertThat(update.watermark()).isEqualTo(47_000);

        // the topic gets a partition whose backlog starts far behind the watermark
        ranges = List.of(SourceRange.of("events", 0, 1, 1), SourceRange.of("events", 1, 0, 3));
        Map<TopicPartitionKey, Long> start = state.startClocks(ranges, 1_000);
        assertThat(start).containsEntry(added, 50_000L);
        ResultsAggregator.Classified backlog = ResultsAggregator.classify(
                SETTINGS,
                new PartitionBatch(
                        ranges.get(1),
                        List.of(event(0, 5_000, "e2"), event(1, 46_999, "e2"), event(2, 47_000, "e2")),
                        List.of()),
                start.get(added));

        assertThat(backlog.batch().deadLetters())
                .extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, DeadLetterReason.TOO_LATE),
                        org.assertj.core.groups.Tuple.tuple(1L, DeadLetterReason.TOO_LATE));
        update = state.apply(List.of(p0, added), List.of(backlog.results()));
        assertThat(update.watermark()).isEqualTo(47_000);
        assertThat(update.counts()).extracting(CountRow::windowStart).containsExactly(40_000L);
    }

    @Test
    void aTopicRemovedFromTheConfigurationDropsOutOfTheClocks() throws Exception {
        TopicPartitionKey kept = new TopicPartitionKey("events", 0);
        TopicPartitionKey removed = new TopicPartitionKey("old", 0);
        ResultsState state = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        List<SourceRange> ranges = List.of(SourceRange.of("events", 0, 0, 1), SourceRange.of("old", 0, 0, 1));
        state.apply(
                List.of(kept, removed),
                List.of(
                        results(SETTINGS, ranges.get(0), List.of(event(0, 50_000, "e1")), EventClock.NO_TIME),
                        results(SETTINGS, ranges.get(1), List.of(event(0, 10_000, "e1")), EventClock.NO_TIME)));
        CommittedOffsets committed = commit(state, CommittedOffsets.empty(), ranges);

        ResultsState restarted = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        restarted.rebuild(committed, List.of(), p -> p.topic().equals("events"));

        assertThat(restarted.watermark()).isEqualTo(47_000);
        assertThat(restarted.clock(removed)).isEqualTo(EventClock.NO_TIME);
    }

    private static PartitionResults results(
            ResultsSettings settings, SourceRange range, List<PositionedEvent> events, long clock) {
        return ResultsAggregator.classify(settings, new PartitionBatch(range, events, List.of()), clock)
                .results();
    }

    private static CommittedOffsets commit(ResultsState state, CommittedOffsets committed, List<SourceRange> ranges) {
        CommittedOffsets next = committed.advance(ranges);
        return next.withReplay(state.positions(next));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void crashesAndRebuildsNeverChangeTheResults(long seed) throws Exception {
        crashesAndRebuilds(seed, SETTINGS);
    }

    /**
     * The same with a revise span of 10 s: the events far behind (up to 20 s) are counted, most as revisions of windows
     * that were final and written, the rest too late; every count, visitor, revision and top row ends as a recount of
     * what was archived gives it, through crashes and rebuilds.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void lateEventsReviseTheirWindowsExactlyThroughCrashesAndRebuilds(long seed) throws Exception {
        crashesAndRebuilds(seed, SETTINGS.withReviseWithin(10_000));
    }

    @Test
    void aLateEventWithinTheReviseSpanRewritesItsFinalWindowAndItsTopRowsWithARevision() throws Exception {
        ResultsSettings revising = SETTINGS.withReviseWithin(20_000);
        TopicPartitionKey p = new TopicPartitionKey("events", 0);
        ResultsState state = new ResultsState(revising, VisitorClaims.inMemory());
        state.apply(
                List.of(p),
                List.of(ResultsAggregator.classify(
                                revising,
                                new PartitionBatch(
                                        SourceRange.of("events", 0, 0, 2),
                                        List.of(event(0, 1_000, "e1"), event(1, 20_000, "e1")),
                                        List.of()),
                                EventClock.NO_TIME)
                        .results()));
        assertThat(state.watermark()).isEqualTo(17_000); // window [0, 10 s) is final, written with one event

        ResultsAggregator.Classified late = ResultsAggregator.classify(
                revising,
                new PartitionBatch(
                        SourceRange.of("events", 0, 2, 4),
                        List.of(event(2, 4_000, "e1"), event(3, -10_000, "e1")),
                        List.of()),
                state.clock(p));
        ResultsUpdate update = state.apply(List.of(p), List.of(late.results()));

        assertThat(late.batch().valid()).extracting(PositionedEvent::offset).containsExactly(2L);
        assertThat(late.batch().deadLetters())
                .extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, DeadLetterReason.TOO_LATE));
        assertThat(update.counts()).singleElement().satisfies(row -> {
            assertThat(row.windowStart()).isZero();
            assertThat(row.revision()).isEqualTo(1);
            assertThat(row.byType().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(2);
        });
        // the top windows [end - 30 s, end) holding the bucket [4 s, 6 s) that were written: ends 6 s to 16 s
        assertThat(update.tops())
                .extracting(TopRow::windowEnd)
                .containsExactly(6_000L, 8_000L, 10_000L, 12_000L, 14_000L, 16_000L);
        assertThat(update.tops()).allSatisfy(top -> assertThat(top.ranking())
                .containsExactly(new RankedExperiment(new ExperimentKey("acct", "e1"), 2)));
    }

    private static void crashesAndRebuilds(long seed, ResultsSettings settings) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int partitions = 1 + random.nextInt(4);
        List<List<PositionedEvent>> logs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            logs.add(log(random, 200 + random.nextInt(400)));
        }
        List<TopicPartitionKey> keys = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            keys.add(new TopicPartitionKey("events", p));
        }

        Map<VariationWindow, CountRow> table = new HashMap<>();
        Map<Long, TopRow> tops = new TreeMap<>();
        Set<List<Long>> archived = new HashSet<>();
        CommittedOffsets committed = CommittedOffsets.empty();
        VisitorClaims claims = VisitorClaims.inMemory(); // in HBase: they outlive every driver
        ResultsState state = new ResultsState(settings, claims);
        int crashes = 0;
        while (!done(committed, logs)) {
            List<PartitionResults> batch = new ArrayList<>();
            List<SourceRange> ranges = new ArrayList<>();
            List<List<Long>> batchArchive = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                long from = committed.next(keys.get(p)).orElse(0);
                long until = Math.min(logs.get(p).size(), from + random.nextInt(60));
                SourceRange range = SourceRange.of("events", p, from, until);
                ranges.add(range);
                if (from == until) {
                    continue;
                }
                ResultsAggregator.Classified c =
                        ResultsAggregator.classify(settings, slice(range, logs.get(p)), state.clock(keys.get(p)));
                batch.add(c.results());
                for (PositionedEvent e : c.batch().valid()) {
                    batchArchive.add(List.of((long) p, e.offset()));
                }
            }
            ResultsUpdate update = state.apply(keys, batch);
            write(update, table, tops);
            if (random.nextInt(5) == 0) {
                // the write succeeded but the commit did not (a crash, or the job lagging from here): rebuild, in
                // place as a lagging job's recovery does
                crashes++;
                state = rebuilt(settings, state, committed, logs, keys);
                continue;
            }
            CommittedOffsets next = committed.advance(ranges);
            committed = next.withReplay(state.positions(next));
            archived.addAll(batchArchive);
            if (random.nextInt(7) == 0) { // a clean restart: rebuild as well
                state = rebuilt(settings, new ResultsState(settings, claims), committed, logs, keys);
            }
        }

        assertThat(crashes).isPositive();
        Map<List<Long>, Boolean> counted = countedInOnePass(logs, settings);
        assertThat(archived).isEqualTo(counted.keySet());
        ResultsSnapshot recount = recount(logs, counted, settings);
        assertThat(ResultsComparison.differences(settings, new ArrayList<>(table.values()), tops, recount))
                .isEmpty();
        assertThat(table.values().stream().mapToLong(CountRow::newVisitors).sum())
                .isLessThan(
                        table.values().stream().mapToLong(CountRow::visitors).sum()); // users come back
        assertThat(tops).isNotEmpty();
        tops.values().forEach(top -> assertThat(top).isEqualTo(recount.topAt(top.windowEnd(), settings)));
        if (settings.reviseWithinMs() > 0) {
            assertThat(counted.values()).as("late events counted").contains(true);
        }
    }

    private static ResultsState rebuilt(
            ResultsSettings settings,
            ResultsState state,
            CommittedOffsets committed,
            List<List<PositionedEvent>> logs,
            List<TopicPartitionKey> keys) {
        List<PartitionResults> replayed = new ArrayList<>();
        committed.replay().forEach((key, position) -> {
            long until = committed.next(key).orElseThrow();
            if (position.from() < until) {
                SourceRange range = SourceRange.of(key.topic(), key.partition(), position.from(), until);
                replayed.add(ResultsAggregator.classify(
                                settings, slice(range, logs.get(key.partition())), position.clockAtFrom())
                        .results());
            }
        });
        state.rebuild(committed, replayed);
        return state;
    }

    private static void write(ResultsUpdate update, Map<VariationWindow, CountRow> table, Map<Long, TopRow> tops) {
        for (CountRow row : update.counts()) {
            table.put(row.key(), row);
        }
        update.tops().forEach(top -> tops.put(top.windowEnd(), top));
    }

    /** The events a single pass counts (partition, offset), each with whether it was late (a revision). */
    private static Map<List<Long>, Boolean> countedInOnePass(
            List<List<PositionedEvent>> logs, ResultsSettings settings) {
        Map<List<Long>, Boolean> counted = new HashMap<>();
        for (int p = 0; p < logs.size(); p++) {
            long clock = EventClock.NO_TIME;
            for (PositionedEvent e : logs.get(p)) {
                long ts = e.event().ts();
                if (EventClock.tooLate(ts, clock, settings.allowedLatenessMs(), settings.reviseWithinMs())) {
                    continue;
                }
                counted.put(List.of((long) p, e.offset()), EventClock.late(ts, clock, settings.allowedLatenessMs()));
                clock = EventClock.advance(clock, ts);
            }
        }
        return counted;
    }

    private static ResultsSnapshot recount(
            List<List<PositionedEvent>> logs, Map<List<Long>, Boolean> counted, ResultsSettings settings) {
        Map<CountCell, Long> counts = new HashMap<>();
        Map<VariationWindow, Long> revisions = new HashMap<>();
        Map<VariationWindow, Set<String>> visitors = new HashMap<>();
        TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
        for (List<Long> at : counted.keySet()) {
            Event e = logs.get(at.get(0).intValue()).get(at.get(1).intValue()).event();
            ExperimentKey experiment = new ExperimentKey(e.accountId(), e.experimentId());
            CountCell cell = new CountCell(settings.windowStart(e.ts()), experiment, e.variationId(), e.type());
            counts.merge(cell, 1L, Long::sum);
            if (counted.get(at)) {
                revisions.merge(VariationWindow.of(cell), 1L, Long::sum);
            }
            visitors.computeIfAbsent(VariationWindow.of(cell), r -> new HashSet<>())
                    .add(e.userId());
            traffic.computeIfAbsent(settings.bucketStart(e.ts()), b -> new HashMap<>())
                    .merge(experiment, 1L, Long::sum);
        }
        return new ResultsSnapshot(counts, visitors, traffic, revisions);
    }

    private static boolean done(CommittedOffsets committed, List<List<PositionedEvent>> logs) {
        for (int p = 0; p < logs.size(); p++) {
            if (committed.next(new TopicPartitionKey("events", p)).orElse(0)
                    < logs.get(p).size()) {
                return false;
            }
        }
        return true;
    }

    private static PartitionBatch slice(SourceRange range, List<PositionedEvent> log) {
        return new PartitionBatch(range, log.subList((int) range.from(), (int) range.until()), List.of());
    }

    /** Event time advancing ~100 ms per event with jitter, one in 20 events far behind. */
    private static List<PositionedEvent> log(SplittableRandom random, int size) {
        List<PositionedEvent> log = new ArrayList<>();
        long time = random.nextLong(100_000);
        for (int offset = 0; offset < size; offset++) {
            time += random.nextInt(200);
            long ts = random.nextInt(20) == 0 ? time - random.nextInt(20_000) : time + random.nextInt(1_000) - 500;
            log.add(event(offset, ts, "e" + random.nextInt(6), "u" + Math.floorMod(ts * 31 + offset, 12)));
        }
        return log;
    }

    private static PositionedEvent event(long offset, long ts, String experiment) {
        return event(offset, ts, experiment, "u");
    }

    private static PositionedEvent event(long offset, long ts, String experiment, String user) {
        String type = offset % 4 == 0 ? "conversion" : "impression";
        Event e = new Event("id-" + offset, ts, "acct", experiment, "v" + (offset % 2), user, type, Map.of());
        return new PositionedEvent(offset, e, new byte[0]);
    }
}
