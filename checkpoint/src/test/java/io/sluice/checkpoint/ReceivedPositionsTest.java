package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceivedPositionsTest {
    private static final TopicPartitionKey HTTP = new TopicPartitionKey("_http", 0);
    private static final long R = 1_000_000;
    private static final long I = 2_000;

    private static SourceRange batch(long t) {
        return ReceivedPositions.ofBatch(HTTP, t, I, R);
    }

    @Test
    void consecutiveBatchesTileThePositions() {
        assertThat(batch(10_000)).isEqualTo(new SourceRange(HTTP, 8_000 * R + R, 10_000 * R + R));
        assertThat(batch(12_000).from()).isEqualTo(batch(10_000).until());
    }

    @Test
    void theBatchAfterTheCommittedOneIsWrittenWhole() {
        CommittedOffsets committed =
                CommittedOffsets.of(Map.of(HTTP, batch(10_000).until()));
        assertThat(ReceivedPositions.align(committed, batch(12_000), false)).contains(batch(12_000));
    }

    @Test
    void aBatchCommittedAlreadyIsSkipped() {
        CommittedOffsets committed =
                CommittedOffsets.of(Map.of(HTTP, batch(12_000).until()));
        assertThat(ReceivedPositions.align(committed, batch(10_000), false)).isEmpty();
        assertThat(ReceivedPositions.align(committed, batch(12_000), false)).isEmpty();
    }

    @Test
    void aBatchAfterOneThatDidNotCommitIsAGapNotASkip() {
        // batch 12 000 failed (a task failed, nothing committed); batch 14 000 must not commit past it
        CommittedOffsets committed =
                CommittedOffsets.of(Map.of(HTTP, batch(10_000).until()));
        assertThatThrownBy(() -> ReceivedPositions.align(committed, batch(14_000), false))
                .isInstanceOf(OffsetGapException.class)
                .hasMessageContaining("an earlier batch did not commit");
    }

    @Test
    void theFirstBatchOfAContextStartsWhereTheLastContextStopped() {
        CommittedOffsets committed =
                CommittedOffsets.of(Map.of(HTTP, batch(10_000).until()));
        assertThat(ReceivedPositions.align(committed, batch(50_000), true))
                .contains(new SourceRange(
                        HTTP, batch(10_000).until(), batch(50_000).until()));
        assertThat(ReceivedPositions.align(CommittedOffsets.empty(), batch(50_000), true))
                .contains(batch(50_000));
    }

    @Test
    void aNewIntervalStraddlingTheCommittedPositionIsClippedToIt() {
        CommittedOffsets committed =
                CommittedOffsets.of(Map.of(HTTP, batch(10_000).until()));
        SourceRange wider = ReceivedPositions.ofBatch(HTTP, 11_000, 5_000, R);
        assertThat(ReceivedPositions.align(committed, wider, false))
                .isEqualTo(Optional.of(new SourceRange(HTTP, batch(10_000).until(), wider.until())));
        assertThat(committed.advance(List.of(wider)).next(HTTP)).hasValue(wider.until());
    }
}
