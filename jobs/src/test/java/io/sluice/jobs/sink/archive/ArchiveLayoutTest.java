package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import org.junit.jupiter.api.Test;

class ArchiveLayoutTest {
    private final ArchiveLayout layout = new ArchiveLayout("hdfs://nn:8020/sluice/archive/");
    private final SourceRange range = SourceRange.of("events", 3, 1200, 1500);

    @Test
    void eventFilesAreNamedFromTheSourcePositionAndPartitionedByEventHour() {
        long ts = 1_763_802_000_000L + 45 * 60_000L; // 2025-11-22T09:00Z + 45 min
        assertThat(layout.published(ArchiveLayout.eventFile(range, ts)).toString())
                .isEqualTo(
                        "hdfs://nn:8020/sluice/archive/events/dt=2025-11-22/hour=09/events+3+0000000000000001200.jsonl");
    }

    @Test
    void theSameRangeAlwaysGetsTheSameNames() {
        long ts = 1_763_802_000_000L;
        assertThat(ArchiveLayout.eventFile(SourceRange.of("events", 3, 1200, 9999), ts))
                .isEqualTo(ArchiveLayout.eventFile(range, ts));
        assertThat(layout.published(ArchiveLayout.deadLetterFile(range)).toString())
                .isEqualTo("hdfs://nn:8020/sluice/archive/dead-letter/events/events+3+0000000000000001200.jsonl");
    }

    @Test
    void aBatchStagesItsFilesUnderItsEpochAndBatchTime() {
        String stage = ArchiveLayout.stageName(7, 1_763_802_000_000L);
        assertThat(stage).isEqualTo("e7-b1763802000000");
        assertThat(ArchiveLayout.stageEpoch(stage)).hasValue(7);
        assertThat(ArchiveLayout.stageEpoch("garbage")).isEmpty();
        assertThat(layout.staged(stage, ArchiveLayout.deadLetterFile(range)).toString())
                .isEqualTo("hdfs://nn:8020/sluice/archive/_staging/e7-b1763802000000/dead-letter/events/"
                        + "events+3+0000000000000001200.jsonl");
    }

    @Test
    void rangeNamesParseBack() {
        assertThat(ArchiveLayout.parseRangeName("events+3+0000000000000001200"))
                .contains(new ArchiveLayout.RangeStart(
                        new TopicPartitionKey("events", 3), 1200, ArchiveLayout.NO_ARRIVAL));
        assertThat(ArchiveLayout.parseRangeName("my.topic-x+0+0000000000000000007.jsonl"))
                .contains(new ArchiveLayout.RangeStart(
                        new TopicPartitionKey("my.topic-x", 0), 7, ArchiveLayout.NO_ARRIVAL));
        assertThat(ArchiveLayout.parseRangeName("garbage")).isEmpty();
    }

    @Test
    void aReceiverBlocksNamesCarryItsArrivalAndParseBack() {
        SourceRange block = SourceRange.of("http", 1, 1_763_802_000_000_000_000L, 1_763_802_000_001_000_000L);
        String name = ArchiveLayout.eventFile(block, 1_763_801_999_123L, 1_763_802_000_000L);
        assertThat(name).isEqualTo("events/dt=2025-11-22/hour=09/http+1+1763802000000000000+a1763801999123.jsonl");
        assertThat(ArchiveLayout.parseRangeName(name.substring(name.lastIndexOf('/') + 1)))
                .contains(new ArchiveLayout.RangeStart(
                        new TopicPartitionKey("http", 1), 1_763_802_000_000_000_000L, 1_763_801_999_123L));
    }

    @Test
    void namesSortInOffsetOrder() {
        String a = ArchiveLayout.rangeName(SourceRange.of("t", 0, 99, 100));
        String b = ArchiveLayout.rangeName(SourceRange.of("t", 0, 100, 200));
        assertThat(a.compareTo(b)).isNegative();
    }
}
