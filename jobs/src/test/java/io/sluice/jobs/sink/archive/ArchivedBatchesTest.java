package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push ingestion's batches read back from the primary archive root: by batch and block, and every reading numbers a
 * block's events the same way (its files by path, each line by line), whatever order the file system lists them in.
 */
class ArchivedBatchesTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long B1 = 1_767_225_602_000L * PushSource.RECORDS_PER_BLOCK;
    private static final long B2 = 1_767_225_604_000L * PushSource.RECORDS_PER_BLOCK;
    private final EventParser parser = new EventParser(new ParserLimits(1024, 3, 64, 4));

    @TempDir
    Path dir;

    @Test
    void blocksAreListedByBatchAndPartitionAndTheirEventsNumberedInAFixedOrder() throws IOException {
        ArchiveLayout layout = new ArchiveLayout(dir.toUri().toString());
        // block 1 of B1 spans two event hours; the later hour is written first
        write(push(1, B1), 77, T0 + HOUR, "e3");
        write(push(1, B1), 77, T0, "e1", "e2");
        write(push(0, B1), 76, T0, "e0");
        write(push(0, B2), ArchiveLayout.NO_ARRIVAL, T0, "e9");
        write(SourceRange.of("events", 0, 5, 6), ArchiveLayout.NO_ARRIVAL, T0, "k5"); // not push ingestion's
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();

        TreeMap<Long, List<ArchivedBatches.Block>> all = ArchivedBatches.list(fs, layout, 0, Long.MAX_VALUE);
        assertThat(all.keySet()).containsExactly(B1, B2);
        assertThat(all.get(B1)).extracting(ArchivedBatches.Block::partition).containsExactly(0, 1);
        assertThat(ArchivedBatches.list(fs, layout, B1 + 1, Long.MAX_VALUE).keySet())
                .containsExactly(B2);
        assertThat(ArchivedBatches.list(fs, layout, 0, B2).keySet()).containsExactly(B1);

        ArchivedBatches.Block block = all.get(B1).get(1);
        assertThat(block.arrival()).isEqualTo(77);
        PartitionBatch read = block.parse(fs, parser);
        assertThat(read.range()).isEqualTo(SourceRange.of(PushSource.NAME, 1, B1, B1 + PushSource.RECORDS_PER_BLOCK));
        assertThat(read.valid()).extracting(e -> e.event().eventId()).containsExactly("e1", "e2", "e3");
        assertThat(read.valid()).extracting(PositionedEvent::offset).containsExactly(B1, B1 + 1, B1 + 2);
        assertThat(read.valid()).extracting(PositionedEvent::arrival).containsOnly(77L);
        assertThat(block.parse(fs, parser).valid())
                .extracting(PositionedEvent::offset)
                .isEqualTo(read.valid().stream().map(PositionedEvent::offset).toList());

        ArchivedBatches.Block unstamped = all.get(B2).get(0);
        assertThat(unstamped.arrivalOrBatchTime()).isEqualTo(B2 / PushSource.RECORDS_PER_BLOCK);
    }

    private static SourceRange push(int block, long base) {
        return SourceRange.of(PushSource.NAME, block, base, base + PushSource.RECORDS_PER_BLOCK);
    }

    private void write(SourceRange range, long arrival, long ts, String... ids) throws IOException {
        Path file = dir.resolve(ArchiveLayout.eventFile(range, arrival, ts));
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (String id : ids) {
            lines.append("{\"event_id\":\"")
                    .append(id)
                    .append("\",\"ts\":")
                    .append(ts)
                    .append(",\"account_id\":\"a1\",\"experiment_id\":\"x1\",\"variation_id\":\"v1\",")
                    .append("\"user_id\":\"u1\",\"type\":\"impression\"}\n");
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
    }
}
