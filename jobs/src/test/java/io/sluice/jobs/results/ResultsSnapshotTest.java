package io.sluice.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResultsSnapshotTest {
    private static final ResultsSettings SETTINGS = new ResultsSettings(true, 10_000, 3_000, 3, 30_000, 2_000, "t");
    private static final ExperimentKey A = new ExperimentKey("acct", "a");

    private final ResultsSnapshot snapshot = new ResultsSnapshot(
            Map.of(
                    new CountCell(0, A, "v1", "view"), 2L,
                    new CountCell(0, A, "v1", "click"), 1L,
                    new CountCell(30_000, A, "v1", "view"), 4L,
                    new CountCell(40_000, A, "v2", "view"), 5L),
            Map.of(
                    new VariationWindow(0, A, "v1"), Set.of("u1", "u2"),
                    new VariationWindow(30_000, A, "v1"), Set.of("u2", "u3"),
                    new VariationWindow(40_000, A, "v2"), Set.of("u1")),
            new TreeMap<>(Map.of(0L, Map.of(A, 3L), 30_000L, Map.of(A, 4L), 40_000L, Map.of(A, 5L))));

    @Test
    void aRangeHoldsTheCountWindowsWhollyInItWithTheirTypesAndVisitorsInOneRow() throws Exception {
        ResultsUpdate update = snapshot.within(0, 40_000, SETTINGS, VisitorClaims.inMemory());

        assertThat(update.counts())
                .containsExactlyInAnyOrder(
                        new CountRow(0, A, "v1", Map.of("click", 1L, "view", 2L), 2, 2),
                        new CountRow(30_000, A, "v1", Map.of("view", 4L), 2, 1)); // u2 was new in window 0
    }

    @Test
    void aUserClaimedByAnEarlierReplayIsNotNewAgain() throws Exception {
        VisitorClaims claims = VisitorClaims.inMemory();
        snapshot.within(30_000, 40_000, SETTINGS, claims); // claims u2 and u3 for window 30 000

        assertThat(snapshot.within(0, 10_000, SETTINGS, claims).counts())
                .containsExactly(new CountRow(0, A, "v1", Map.of("click", 1L, "view", 2L), 2, 1));
    }

    @Test
    void aRangeHoldsTheTopRowsOfTheWindowEndsWhoseSlidingWindowLiesInItAndHoldsAnEvent() throws Exception {
        assertThat(snapshot.within(0, 40_000, SETTINGS, VisitorClaims.inMemory())
                        .tops())
                .extracting(TopRow::windowEnd)
                // the first end whose window [end - 30 000, end) starts in the range is 30 000, the last is 40 000
                .containsExactly(30_000L, 32_000L, 34_000L, 36_000L, 38_000L, 40_000L);
        assertThat(snapshot.within(0, 40_000, SETTINGS, VisitorClaims.inMemory())
                        .tops()
                        .get(0)
                        .ranking())
                .extracting(RankedExperiment::events)
                .containsExactly(3L);
        assertThat(snapshot.within(10_000, 39_000, SETTINGS, VisitorClaims.inMemory())
                        .tops())
                .isEmpty();
        assertThat(snapshot.within(10_000, 39_000, SETTINGS, VisitorClaims.inMemory())
                        .counts())
                .isEmpty();
    }
}
