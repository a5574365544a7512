package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeAlignerTest {
    private static final TopicPartitionKey P0 = new TopicPartitionKey("events", 0);
    private static final TopicPartitionKey P1 = new TopicPartitionKey("events", 1);

    @Test
    void unknownPartitionsAreTakenAsTheyCome() {
        List<SourceRange> ranges = List.of(SourceRange.of("events", 0, 5, 10));
        assertThat(RangeAligner.align(CommittedOffsets.empty(), ranges)).isEqualTo(ranges);
    }

    @Test
    void rangesAlreadyCommittedAreSkipped() {
        CommittedOffsets committed = CommittedOffsets.of(Map.of(P0, 100L, P1, 50L));
        List<SourceRange> aligned = RangeAligner.align(
                committed, List.of(SourceRange.of("events", 0, 40, 100), SourceRange.of("events", 1, 50, 70)));
        assertThat(aligned).containsExactly(SourceRange.of("events", 1, 50, 70));
    }

    @Test
    void aRangeStraddlingTheCommittedOffsetIsClippedToIt() {
        CommittedOffsets committed = CommittedOffsets.of(Map.of(P0, 100L));
        assertThat(RangeAligner.align(committed, List.of(SourceRange.of("events", 0, 40, 250))))
                .containsExactly(SourceRange.of("events", 0, 100, 250));
    }

    @Test
    void aRangeStartingPastTheCommittedOffsetIsAGap() {
        CommittedOffsets committed = CommittedOffsets.of(Map.of(P0, 100L));
        assertThatThrownBy(() -> RangeAligner.align(committed, List.of(SourceRange.of("events", 0, 120, 250))))
                .isInstanceOf(OffsetGapException.class)
                .hasMessageContaining("events-0[120,250)")
                .hasMessageContaining("committed offset 100");
    }

    @Test
    void advanceNeverMovesBackwards() {
        CommittedOffsets committed = CommittedOffsets.of(Map.of(P0, 100L));
        CommittedOffsets next =
                committed.advance(List.of(SourceRange.of("events", 0, 10, 20), SourceRange.of("events", 1, 0, 7)));
        assertThat(next.asMap()).containsEntry(P0, 100L).containsEntry(P1, 7L);
    }

    @Test
    void lagIsEndMinusCommitted() {
        CommittedOffsets committed = CommittedOffsets.of(Map.of(P0, 100L));
        assertThat(committed.lag(Map.of(P0, 130L, P1, 12L))).isEqualTo(42L);
    }
}
