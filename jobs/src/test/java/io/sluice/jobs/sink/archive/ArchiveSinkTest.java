package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.DeadLetterReason;
import io.sluice.jobs.event.Event;
import io.sluice.jobs.pipeline.DeadLetter;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.pipeline.PositionedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive on a local file system: same range, same files; recovery removes exactly the uncommitted ranges. */
class ArchiveSinkTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z

    @TempDir
    Path dir;

    private ArchiveSink sink() throws IOException {
        return new ArchiveSink(FileSystem.getLocal(new Configuration()).getRaw(), layout());
    }

    private ArchiveLayout layout() {
        return new ArchiveLayout(dir.toUri().toString());
    }

    private static PartitionBatch batch(long from, long until, boolean withDeadLetter) {
        SourceRange range = SourceRange.of("events", 0, from, until);
        List<PositionedEvent> valid = new ArrayList<>();
        for (long offset = from; offset < until; offset++) {
            long ts = T0 + (offset % 2) * HOUR; // two event hours
            String json = "{\"event_id\":\"e" + offset + "\",\n\"ts\":" + ts + "}";
            valid.add(new PositionedEvent(
                    offset,
                    new Event("e" + offset, ts, "a", "x", "v", "u", "impression", Map.of()),
                    json.getBytes(StandardCharsets.UTF_8)));
        }
        List<DeadLetter> dead = withDeadLetter
                ? List.of(new DeadLetter(range.key(), until, DeadLetterReason.MALFORMED_JSON, "bad", new byte[] {1, 2}))
                : List.of();
        return new PartitionBatch(range, valid, dead);
    }

    @Test
    void writingTheSameRangeTwiceGivesTheSameFiles() throws Exception {
        sink().write(batch(100, 110, true));
        Map<Path, String> first = contents();
        sink().write(batch(100, 110, true));
        assertThat(contents()).isEqualTo(first);
        assertThat(first.keySet()).hasSize(3 + 1); // two hour files, one dead-letter file, one pending marker
        long lines = first.entrySet().stream()
                .filter(e -> e.getKey().toString().startsWith("events/"))
                .mapToLong(e -> e.getValue().lines().count())
                .sum();
        assertThat(lines).as("one line per event, embedded line breaks removed").isEqualTo(10);
        assertThat(first.entrySet().stream()
                        .filter(e -> e.getKey().toString().startsWith("dead-letter/"))
                        .findFirst()
                        .orElseThrow()
                        .getValue())
                .contains("\"reason\":\"malformed_json\"")
                .contains("\"offset\":110")
                .contains("\"raw_base64\":\"AQI=\"");
    }

    @Test
    void recoveryDeletesWhatUncommittedRangesWroteAndKeepsTheCommittedOnes() throws Exception {
        sink().write(batch(0, 10, false)); // committed
        sink().write(batch(10, 20, true)); // written, never committed
        sink().write(batch(20, 30, false)); // written, never committed
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
        ArchiveRecovery recovery = new ArchiveRecovery(fs, layout());
        ArchiveRecovery.Report report =
                recovery.recover(CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L)));
        assertThat(report.rangesRolledBack()).isEqualTo(2);
        assertThat(report.filesDeleted()).isEqualTo(5);
        assertThat(contents().keySet())
                .allMatch(p -> p.getFileName().toString().startsWith("events+0+0000000000000000000"));
        assertThat(Files.exists(dir.resolve("_pending"))).isTrue();
        assertThat(Files.list(dir.resolve("_pending")).count())
                .as("markers are gone")
                .isZero();
    }

    @Test
    void forgetDropsTheMarkersOfCommittedRanges() throws Exception {
        sink().write(batch(0, 10, false));
        new ArchiveRecovery(FileSystem.getLocal(new Configuration()).getRaw(), layout())
                .forget(List.of(SourceRange.of("events", 0, 0, 10)));
        assertThat(Files.list(dir.resolve("_pending")).count()).isZero();
    }

    private Map<Path, String> contents() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            Map<Path, String> map = new java.util.TreeMap<>();
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                map.put(dir.relativize(p), Files.readString(p));
            }
            return map;
        }
    }
}
