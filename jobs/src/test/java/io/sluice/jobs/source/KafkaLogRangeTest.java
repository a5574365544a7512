package io.sluice.jobs.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLogRangeTest {
    private static final TopicPartitionKey P0 = new TopicPartitionKey("events", 0);
    private static final TopicPartitionKey P1 = new TopicPartitionKey("events", 1);
    private static final KafkaLogRange RANGE = new KafkaLogRange(Map.of(P0, 100L, P1, 0L), Map.of(P0, 500L, P1, 40L));

    @Test
    void committedOffsetsWithinTheLogAndPartitionsNeverCommittedPass() {
        assertThatCode(() -> RANGE.requireCommittedWithin(CommittedOffsets.of(Map.of(P0, 100L, P1, 40L)), "f"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RANGE.requireCommittedWithin(CommittedOffsets.empty(), "f"))
                .doesNotThrowAnyException();
    }

    @Test
    void belowTheLogStartNamesThePartitionBothOffsetsAndTheCommand() {
        assertThatThrownBy(() -> RANGE.requireCommittedWithin(CommittedOffsets.of(Map.of(P0, 60L)), "my.properties"))
                .hasMessageContaining("Kafka partition events-0: the committed offset 60 is below the log start 100")
                .hasMessageContaining("40 records were deleted")
                .hasMessageContaining("./bin/sluice offsets --config my.properties --move events-0=100");
    }

    @Test
    void aboveTheLogEndNamesThePartitionBothOffsetsAndTheCommand() {
        assertThatThrownBy(() -> RANGE.requireCommittedWithin(CommittedOffsets.of(Map.of(P1, 900L)), "f"))
                .hasMessageContaining("Kafka partition events-1: the committed offset 900 is above the log end 40")
                .hasMessageContaining("./bin/sluice offsets --config f --move events-1=0");
    }
}
