package io.sluice.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Visitors counted by HyperLogLog sketch: within the stated error, and the same number whatever the merge order. */
class SketchedVisitorsTest {
    private static final ResultsSettings SETTINGS =
            new ResultsSettings(true, 60_000, 3_000, 3, 60_000, 2_000, "t").withVisitors(VisitorCounting.HLL, 12);
    private static final List<TopicPartitionKey> PARTITIONS =
            List.of(new TopicPartitionKey("events", 0), new TopicPartitionKey("events", 1));

    @Test
    void aRowsSketchEstimatesItsDistinctUsersWithinThreeStandardDeviationsAndTheLifetimeUnionToo() throws Exception {
        Generated generated = batches(new SplittableRandom(7), 60_000);
        List<PartitionResults> batches = generated.batches();
        for (PartitionResults r : batches) {
            assertThat(r.visitors()).isEmpty(); // no user sets travel when sketching
        }
        ResultsState state = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        ResultsUpdate update = state.apply(PARTITIONS, batches);

        assertThat(update.counts()).hasSize(1);
        CountRow row = update.counts().get(0);
        long truth = generated.distinctUsers();
        LifetimeVisitors.Estimate estimate = LifetimeVisitors.estimate(VisitorSketches.read(row.visitorSketch()), 3);
        assertThat(estimate.admits(truth)).as("%s admits %d", estimate, truth).isTrue();
        assertThat(row.visitors()).isEqualTo(estimate.value());
        assertThat((double) Math.abs(row.visitors() - truth) / truth).isLessThan(0.05);
        assertThat(LifetimeVisitors.of(List.of(row), 3).values())
                .singleElement()
                .satisfies(lifetime -> assertThat(lifetime.admits(truth)).isTrue());
    }

    @Test
    void theEstimateWrittenDoesNotDependOnTheOrderTheTasksSumsAreMerged() throws Exception {
        List<PartitionResults> batches =
                batches(new SplittableRandom(11), 20_000).batches();
        CountRow inOrder = new ResultsState(SETTINGS, VisitorClaims.inMemory())
                .apply(PARTITIONS, batches)
                .counts()
                .get(0);
        List<PartitionResults> shuffled = new ArrayList<>(batches);
        Collections.shuffle(shuffled, new java.util.Random(3));
        ResultsState other = new ResultsState(SETTINGS, VisitorClaims.inMemory());
        CountRow reordered = null;
        for (PartitionResults r : shuffled) { // one by one, as a replay rebuilds
            reordered = other.apply(PARTITIONS, List.of(r)).counts().get(0);
        }
        assertThat(reordered.visitors()).isEqualTo(inOrder.visitors());
    }

    private record Generated(List<PartitionResults> batches, long distinctUsers) {}

    /** Ten batches per partition of events in one window, users drawn from 40,000. */
    private static Generated batches(SplittableRandom random, int events) {
        Set<String> users = new HashSet<>();
        List<PartitionResults> out = new ArrayList<>();
        int perBatch = events / 20;
        for (int p = 0; p < 2; p++) {
            for (int b = 0; b < 10; b++) {
                List<PositionedEvent> batch = new ArrayList<>();
                long from = (long) b * perBatch;
                for (int i = 0; i < perBatch; i++) {
                    String user = "user-" + random.nextInt(40_000);
                    users.add(user);
                    Event e =
                            new Event("e-" + p + "-" + (from + i), 1_000, "acct", "exp", "v1", user, "click", Map.of());
                    batch.add(new PositionedEvent(from + i, e, new byte[0]));
                }
                out.add(ResultsAggregator.classify(
                                SETTINGS,
                                new PartitionBatch(
                                        SourceRange.of("events", p, from, from + perBatch), batch, List.of()),
                                EventClock.NO_TIME)
                        .results());
            }
        }
        return new Generated(out, users.size());
    }
}
