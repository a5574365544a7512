package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes whole hours that ended before the cutoff, their days once empty, and old dead letters. */
class ArchiveRetentionTest {
    private static final long DAY_2 = 1_767_312_000_000L; // 2026-01-02T00:00Z

    @TempDir
    Path dir;

    @Test
    void wholeHoursEndedBeforeTheCutoffGoWithEmptyDaysAndOldDeadLetters() throws IOException {
        file("events/dt=2026-01-01/hour=22/a.parquet");
        file("events/dt=2026-01-01/hour=23/part-00000.parquet");
        file("events/dt=2026-01-01/hour=23/_SUCCESS");
        file("events/dt=2026-01-02/hour=00/b.parquet");
        file("events/dt=2026-01-02/hour=01/c.parquet");
        file("events/dt=2026-01-02/_compacted-hour=00/d.parquet");
        Path oldDead = file("dead-letter/events/events+0+0000000000000000000.jsonl");
        Path newDead = file("dead-letter/events/events+0+0000000000000000100.jsonl");
        oldDead.toFile().setLastModified(DAY_2 - 3_600_000L);
        newDead.toFile().setLastModified(DAY_2 + 7_200_000L);
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();

        int deleted = ArchiveRetention.deleteHoursBefore(
                fs, new ArchiveLayout(dir.toUri().toString()), DAY_2 + 3_600_000L); // 2026-01-02T01:00Z

        assertThat(deleted).isEqualTo(3);
        assertThat(dir.resolve("events/dt=2026-01-01"))
                .as("a day left empty goes")
                .doesNotExist();
        assertThat(list("events/dt=2026-01-02")).containsExactly("hour=01");
        assertThat(oldDead).doesNotExist();
        assertThat(newDead).exists();
        assertThat(ArchiveRetention.deleteHoursBefore(
                        fs, new ArchiveLayout(dir.toUri().toString()), DAY_2))
                .as("again: nothing left before the cutoff")
                .isZero();
    }

    private Path file(String relative) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        return f;
    }

    private java.util.List<String> list(String relative) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(relative))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
