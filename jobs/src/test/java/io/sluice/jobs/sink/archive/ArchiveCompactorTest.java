package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a final hour: the compacted files hold exactly the small files' events, in their order, about one per
 * target size; a crash at any step, or two drivers at it at once, ends with the hour whole, never doubled.
 */
class ArchiveCompactorTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final String HOUR = "events/dt=2026-01-01/hour=00";
    private final EventParser parser = new EventParser(new ParserLimits(4096, 8, 64, 16));
    private final FileSystem fs = local();

    @TempDir
    Path dir;

    @Test
    void anHourBecomesFilesOfAboutTheTargetSizeHoldingTheSameEventsInOrder() throws IOException {
        List<String> sent = publishSmallFiles(
                EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of("type")), 12, 50);
        long smallBytes = bytes(HOUR);
        ArchiveCompactor compactor = compactor(1, smallBytes / 3 + 1, step -> {});

        assertThat(compactor.hoursBefore(T0 + 3_599_999))
                .as("not final before its end")
                .isEmpty();
        assertThat(compactor.hoursBefore(T0 + 3_600_000)).containsExactly(HOUR);
        ArchiveCompactor.Compacted done = compactor.compact(HOUR).orElseThrow();

        assertThat(done.smallFiles()).isEqualTo(12);
        assertThat(done.files())
                .as("one file per target size of small files, or part of it")
                .isEqualTo(3);
        assertThat(names(HOUR))
                .containsExactly("_SUCCESS", "part-00000.parquet", "part-00001.parquet", "part-00002.parquet");
        assertThat(read(HOUR)).containsExactlyElementsOf(sent);
        assertThat(hidden()).as("nothing left beside the hour").isEmpty();
        assertThat(compactor.hoursBefore(Long.MAX_VALUE))
                .as("a marked hour is done")
                .isEmpty();
        assertThat(compactor.compact(HOUR)).isEmpty();
    }

    @Test
    void jsonLinesCompactIntoOneCompressedFile() throws IOException {
        List<String> sent =
                publishSmallFiles(EventFormat.of(EventFormat.Kind.JSONL, EventFormat.Codec.GZIP, List.of()), 5, 20);
        compactor(1, 128L << 20, step -> {}).compact(HOUR).orElseThrow();
        assertThat(names(HOUR)).containsExactly("_SUCCESS", "part-00000.jsonl.gz");
        assertThat(read(HOUR)).containsExactlyElementsOf(sent);
    }

    @Test
    void aCrashAtAnyStepEndsWithTheHourWholeOnceTheNextDriverSettlesAndCompacts() throws IOException {
        for (String crashAt : List.of("marker", "complete", "hide", "publish", "delete")) {
            Path root = dir.resolve(crashAt);
            List<String> sent = publishSmallFiles(
                    root, EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.SNAPPY, List.of()), 6, 30);
            long target = bytes(root, HOUR) / 2 + 1;
            ArchiveCompactor first = compactor(root, 1, target, step -> {
                if (step.equals(crashAt)) {
                    throw new Crash();
                }
            });
            assertThatThrownBy(() -> first.compact(HOUR)).isInstanceOf(Crash.class);
            List<String> seen = exists(root, HOUR) ? read(root, HOUR) : List.of();
            assertThat(seen)
                    .as(
                            "readers after a crash before %s: the small files, the compacted ones, or (between the two"
                                    + " renames) nothing, never both",
                            crashAt)
                    .isIn(sent, List.of());

            ArchiveCompactor next = compactor(root, 2, target, step -> {});
            next.settle();
            assertThat(read(root, HOUR))
                    .as("after settling a crash before %s", crashAt)
                    .containsExactlyElementsOf(sent);
            next.compact(HOUR);
            next.settle();
            assertThat(read(root, HOUR))
                    .as("compacted after a crash before %s", crashAt)
                    .containsExactlyElementsOf(sent);
            assertThat(names(root, HOUR))
                    .contains("_SUCCESS", "part-00000.parquet", "part-00001.parquet")
                    .hasSize(3);
            assertThat(hidden(root))
                    .as("nothing left after a crash before %s", crashAt)
                    .isEmpty();
        }
    }

    @Test
    void aDeposedLeaderCompactingTheSameHourLeavesItWholeWhereverTheyInterleave() throws IOException {
        for (String pausedAt : List.of("marker", "complete", "hide", "publish", "delete")) {
            Path root = dir.resolve(pausedAt);
            List<String> sent = publishSmallFiles(
                    root, EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of()), 4, 25);
            long target = bytes(root, HOUR) / 2 + 1;
            ArchiveCompactor newer = compactor(root, 2, target, step -> {});
            // the older leader is frozen before a step; the newer one compacts (and settles) meanwhile
            ArchiveCompactor older = compactor(root, 1, target, step -> {
                if (step.equals(pausedAt)) {
                    newer.settle();
                    newer.compact(HOUR);
                }
            });
            try {
                older.compact(HOUR);
            } catch (IOException e) {
                // a deposed leader may fail: what counts is what readers see
            }
            newer.settle();
            assertThat(read(root, HOUR)).as("paused before %s", pausedAt).containsExactlyElementsOf(sent);
            assertThat(names(root, HOUR))
                    .as("paused before %s", pausedAt)
                    .contains("_SUCCESS")
                    .hasSize(3);
        }
    }

    @Test
    void aFilePublishedIntoAnHourAfterItsSmallFilesWereListedStopsTheCompaction() throws IOException {
        List<String> sent = new ArrayList<>(publishSmallFiles(EventFormat.JSONL, 3, 10));
        ArchiveCompactor compactor = compactor(1, 1L << 20, step -> {
            if (step.equals("complete")) {
                sent.addAll(publish(dir, EventFormat.JSONL, 99, 5));
            }
        });
        assertThatThrownBy(() -> compactor.compact(HOUR)).hasMessageContaining("not final");
        assertThat(read(HOUR)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(hidden()).isEmpty();
    }

    @Test
    void anHourTheNextDriverSettlesIsMirroredToTheReplicaEvenWhenTheReplicaReconciledBefore() throws Exception {
        Path primaryRoot = dir.resolve("primary");
        ArchiveLayout primary = new ArchiveLayout(primaryRoot.toUri().toString());
        ArchiveLayout replica = new ArchiveLayout(dir.resolve("replica").toUri().toString());
        publishSmallFiles(
                primaryRoot, EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of()), 4, 20);
        ArchiveCompactor crashed = compactor(primaryRoot, 1, 1L << 20, step -> {
            if (step.equals("publish")) {
                throw new Crash(); // the small files hidden, the compacted ones not published yet
            }
        });
        assertThatThrownBy(() -> crashed.compact(HOUR)).isInstanceOf(Crash.class);

        // the next driver: its replica's first reconcile ends before its maintenance settles the hour
        try (ArchiveReplicator replicator = new ArchiveReplicator(fs, primary, fs, replica);
                ArchiveMaintenance maintenance = new ArchiveMaintenance(
                        fs, primary, compactor(primaryRoot, 2, 1L << 20, step -> {}), List.of(replicator))) {
            replicator.start();
            assertThat(replicator.drain(java.time.Duration.ofSeconds(30))).isTrue();
            maintenance.start();
            assertThat(maintenance.drain(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(replicator.drain(java.time.Duration.ofSeconds(30))).isTrue();
            ArchiveTables.Comparison comparison = ArchiveTables.compare(fs, primary, fs, replica);
            assertThat(comparison.missing()).as("files the replica lacks").isEmpty();
            assertThat(comparison.extra()).as("files only the replica holds").isEmpty();
            assertThat(comparison.primaryFiles())
                    .as("the compacted file and the marker")
                    .isEqualTo(2);
        }
    }

    /** A crash: no cleanup runs. */
    private static final class Crash extends Error {}

    private ArchiveCompactor compactor(long epoch, long target, ArchiveCompactor.Steps steps) {
        return compactor(dir, epoch, target, steps);
    }

    private ArchiveCompactor compactor(Path root, long epoch, long target, ArchiveCompactor.Steps steps) {
        return new ArchiveCompactor(
                fs,
                new ArchiveLayout(root.toUri().toString()),
                target,
                epoch,
                CompressionCodecName.ZSTD,
                ArchiveCompactor.Rewriter.local(fs),
                steps);
    }

    private List<String> publishSmallFiles(EventFormat format, int files, int events) throws IOException {
        return publishSmallFiles(dir, format, files, events);
    }

    private List<String> publishSmallFiles(Path root, EventFormat format, int files, int events) throws IOException {
        List<String> sent = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            sent.addAll(publish(root, format, f, events));
        }
        return sent;
    }

    /** One committed batch's file of partition 0 (from offset {@code f * 1000}), published. */
    private List<String> publish(Path root, EventFormat format, int f, int events) throws IOException {
        ArchiveLayout layout = new ArchiveLayout(root.toUri().toString());
        long from = f * 1000L;
        SourceRange range = SourceRange.of("events", 0, from, from + events);
        List<PositionedEvent> valid = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String json = "{\"event_id\":\"e" + f + "-" + i + "\",\"ts\":" + (T0 + f * 1000 + i)
                    + ",\"account_id\":\"a\",\"experiment_id\":\"x\",\"variation_id\":\"v\",\"user_id\":\"u" + i
                    + "\",\"type\":\"view\"}";
            raw.add(json);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            valid.add(new PositionedEvent(from + i, ((ParseOutcome.Valid) parser.parse(bytes)).event(), bytes));
        }
        String stage = "e1-b" + from;
        new ArchiveSink(fs, layout, format).write(new PartitionBatch(range, valid, List.of()), stage);
        new ArchiveRecovery(fs, layout).publish(stage, 1);
        return raw;
    }

    private List<String> read(String hour) throws IOException {
        return read(dir, hour);
    }

    /** The events of an hour as a reader sees them: its visible files by name, each in order. */
    private List<String> read(Path root, String hour) throws IOException {
        List<String> events = new ArrayList<>();
        for (String name : names(root, hour)) {
            if (EventFormat.isEventFile(name)) {
                EventFormat.read(
                        fs,
                        new org.apache.hadoop.fs.Path(
                                root.resolve(hour).resolve(name).toUri()),
                        r -> events.add(new String(r, StandardCharsets.UTF_8)));
            }
        }
        return events;
    }

    private List<String> names(String hour) throws IOException {
        return names(dir, hour);
    }

    private static List<String> names(Path root, String hour) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(hour))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static boolean exists(Path root, String hour) {
        return Files.isDirectory(root.resolve(hour));
    }

    private List<String> hidden() throws IOException {
        return hidden(dir);
    }

    /** What the day holds beside its hours: compactions under way or left. */
    private static List<String> hidden(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("events/dt=2026-01-01"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("_"))
                    .toList();
        }
    }

    private long bytes(String hour) throws IOException {
        return bytes(dir, hour);
    }

    private static long bytes(Path root, String hour) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(hour))) {
            return files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static FileSystem local() {
        try {
            return FileSystem.getLocal(new Configuration()).getRaw();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
