package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetsCodecTest {
    private static final TopicPartitionKey P0 = new TopicPartitionKey("events", 0);
    private static final TopicPartitionKey P1 = new TopicPartitionKey("events", 1);

    @Test
    void offsetsAndReplayPositionsSurviveARoundTrip() {
        CommittedOffsets offsets = CommittedOffsets.of(Map.of(P0, 120L, P1, 80L))
                .withReplay(Map.of(
                        P0, new ReplayPosition(90, 1_000, 2_000, new java.util.TreeMap<>(Map.of(100L, 1_500L))),
                        P1, new ReplayPosition(80, ReplayPosition.NO_TIME, ReplayPosition.NO_TIME)))
                .withStage("e4-b1767225600000")
                .withSettings(Map.of("sluice.job.results.window-ms", "10000"));

        CommittedOffsets decoded = OffsetsCodec.decode(OffsetsCodec.encode(offsets));

        assertThat(decoded).isEqualTo(offsets);
        assertThat(decoded.replay().get(P0).floors()).containsExactly(Map.entry(100L, 1_500L));
        assertThat(decoded.stage()).isEqualTo("e4-b1767225600000");
        assertThat(decoded.settings()).containsEntry("sluice.job.results.window-ms", "10000");
    }

    @Test
    void aLaggingJobKeepsItsOwnPositionsThroughARoundTripAndTheNextBatches() {
        CommittedOffsets offsets =
                CommittedOffsets.of(Map.of(P0, 120L, P1, 80L)).withLagging("event-store", Map.of(P0, 100L, P1, 80L));

        CommittedOffsets decoded = OffsetsCodec.decode(OffsetsCodec.encode(offsets));
        CommittedOffsets advanced = decoded.advance(java.util.List.of(new SourceRange(P0, 120, 150)));

        assertThat(decoded).isEqualTo(offsets);
        assertThat(advanced.lagging()).containsExactly(Map.entry("event-store", Map.of(P0, 100L)));
        assertThat(advanced.lagOf("event-store")).isEqualTo(50);
        assertThat(advanced.forJob("event-store").asMap()).isEqualTo(Map.of(P0, 100L, P1, 80L));
        assertThat(advanced.forJob("archive").asMap()).isEqualTo(Map.of(P0, 150L, P1, 80L));
        assertThat(advanced.withLagging("event-store", Map.of(P0, 150L)).lagging())
                .as("caught up")
                .isEmpty();
        assertThatThrownBy(() -> offsets.withLagging("event-store", Map.of(P0, 121L)))
                .hasMessageContaining("past the committed offset 120");
    }

    @Test
    void readsVersionTwoWithoutAStage() {
        byte[] v2 =
                "{\"version\":2,\"offsets\":{\"events\":{\"0\":120}},\"replay\":{}}".getBytes(StandardCharsets.UTF_8);

        CommittedOffsets decoded = OffsetsCodec.decode(v2);

        assertThat(decoded.asMap()).isEqualTo(Map.of(P0, 120L));
        assertThat(decoded.stage()).isEmpty();
    }

    @Test
    void readsTheFormatWrittenBeforeReplayPositions() {
        byte[] old = "{\"events\":{\"0\":120,\"1\":80}}".getBytes(StandardCharsets.UTF_8);

        CommittedOffsets decoded = OffsetsCodec.decode(old);

        assertThat(decoded.asMap()).isEqualTo(Map.of(P0, 120L, P1, 80L));
        assertThat(decoded.replay()).isEmpty();
    }

    @Test
    void aReplayPositionPastTheCommittedOffsetIsRejected() {
        CommittedOffsets offsets = CommittedOffsets.of(Map.of(P0, 120L));

        assertThatThrownBy(() -> offsets.withReplay(Map.of(P0, new ReplayPosition(121, 0, 0))))
                .hasMessageContaining("past the committed offset 120");
    }

    @Test
    void aDamagedNodeIsReportedNotGuessed() {
        byte[] damaged = "{\"version\":2,\"offsets\":{\"events\":{\"0\":\"x\"}}}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OffsetsCodec.decode(damaged))
                .hasMessageContaining("unreadable committed offsets")
                .hasMessageContaining("events-0");
    }
}
