package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
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

/**
 * The archive on a local file system: same range, same staged files; only committed stages are published; recovery
 * rolls the committed stage forward and every other back.
 */
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
    void writingTheSameRangeTwiceGivesTheSameStagedFiles() throws Exception {
        sink().write(batch(100, 110, true), "e1-b1000");
        Map<Path, String> first = contents();
        sink().write(batch(100, 110, true), "e1-b1000");
        assertThat(contents()).isEqualTo(first);
        assertThat(first.keySet())
                .hasSize(3)
                .allMatch(p -> p.startsWith("_staging/e1-b1000")); // two hours, dead letters
        long lines = first.entrySet().stream()
                .filter(e -> e.getKey().toString().startsWith("_staging/e1-b1000/events/"))
                .mapToLong(e -> e.getValue().lines().count())
                .sum();
        assertThat(lines).as("one line per event, embedded line breaks removed").isEqualTo(10);
        assertThat(first.entrySet().stream()
                        .filter(e -> e.getKey().toString().startsWith("_staging/e1-b1000/dead-letter/"))
                        .findFirst()
                        .orElseThrow()
                        .getValue())
                .contains("\"reason\":\"malformed_json\"")
                .contains("\"offset\":110")
                .contains("\"raw_base64\":\"AQI=\"");
    }

    @Test
    void publishingMovesTheCommittedStageAndDropsADeposedLeadersStage() throws Exception {
        sink().write(batch(0, 10, true), "e2-b1000"); // the leader's batch, committed
        sink().write(batch(0, 20, false), "e1-b1000"); // a deposed leader's batch over the same offsets, cut otherwise
        Map<Path, String> staged = contents();

        int published = recovery().publish("e2-b1000", 2);

        assertThat(published).isEqualTo(3);
        Map<Path, String> after = contents();
        assertThat(after.keySet()).noneMatch(p -> p.startsWith("_staging"));
        assertThat(after.keySet())
                .containsExactlyInAnyOrder(
                        Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl"),
                        Path.of("events/dt=2026-01-01/hour=01/events+0+0000000000000000000.jsonl"),
                        Path.of("dead-letter/events/events+0+0000000000000000000.jsonl"));
        assertThat(after.get(Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl")))
                .isEqualTo(staged.get(
                        Path.of("_staging/e2-b1000/events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl")));
        assertThat(recovery().publish("e2-b1000", 2))
                .as("publishing again finds nothing")
                .isZero();
    }

    @Test
    void recoveryPublishesTheCommittedStageAndDeletesEveryOther() throws Exception {
        sink().write(batch(0, 10, false), "e3-b1000"); // committed, not published: its driver died
        sink().write(batch(10, 20, true), "e3-b3000"); // written, never committed
        sink().write(batch(10, 30, false), "e2-b9000"); // a deposed leader's
        CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L))
                .withStage("e3-b1000");

        ArchiveRecovery.Report report = recovery().recover(committed, 4);

        assertThat(report.filesPublished()).isEqualTo(2);
        assertThat(report.stagesRolledBack()).isEqualTo(2);
        assertThat(contents().keySet())
                .hasSize(2)
                .allMatch(p -> p.startsWith("events"))
                .allMatch(p -> p.getFileName().toString().startsWith("events+0+0000000000000000000"));
        assertThat(Files.exists(dir.resolve("_staging/e3-b3000"))).isFalse();
    }

    @Test
    void aDriverDeposedDuringItsStartUpLeavesTheNewLeadersStageAlone() throws Exception {
        // review hole 8: driver A took epoch 5 and froze before recovering; driver B took epoch 6 and staged a batch
        sink().write(batch(0, 10, false), "e4-b1000"); // committed by epoch 4, not published: A and B roll it forward
        sink().write(batch(10, 20, true), "e4-b3000"); // epoch 4's, never committed
        sink().write(batch(10, 20, false), "e6-b5000"); // B's batch, not yet committed
        CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L))
                .withStage("e4-b1000");

        ArchiveRecovery.Report report = recovery().recover(committed, 5); // A resumes

        assertThat(report.filesPublished()).isEqualTo(2);
        assertThat(report.stagesRolledBack())
                .as("only epoch 4's uncommitted stage")
                .isEqualTo(1);
        assertThat(dir.resolve("_staging/e4-b3000")).doesNotExist();
        Map<Path, String> bStaged = contents().entrySet().stream()
                .filter(e -> e.getKey().startsWith("_staging/e6-b5000"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(bStaged).as("B's stage, untouched").hasSize(2);

        // B commits its batch and publishes its stage: everything is there
        assertThat(recovery().publish("e6-b5000", 6)).isEqualTo(2);
        assertThat(contents().keySet())
                .noneMatch(p -> p.startsWith("_staging"))
                .contains(Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000010.jsonl"))
                .contains(Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl"));
    }

    @Test
    void anAttemptThatFailsMidWriteLeavesTheCompleteFileOfAnEarlierAttempt() throws Exception {
        // review hole 10: a zombie (or speculative) attempt rewrites a file of the last committed stage, then dies
        ArchiveFiles files =
                new ArchiveFiles(FileSystem.getLocal(new Configuration()).getRaw());
        org.apache.hadoop.fs.Path staged =
                layout().staged("e3-b1000", "events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl");
        files.write(staged, out -> out.write("{\"event_id\":\"e0\"}\n{\"event_id\":\"e1\"}\n".getBytes()));

        assertThatThrownBy(() -> files.write(staged, out -> {
                    out.write("{\"event_id\":\"e0\"}\n{\"eve".getBytes());
                    throw new java.io.InterruptedIOException("attempt killed");
                }))
                .isInstanceOf(java.io.InterruptedIOException.class);

        assertThat(Files.readString(Path.of(staged.toUri())))
                .as("the staged file is the complete one")
                .isEqualTo("{\"event_id\":\"e0\"}\n{\"event_id\":\"e1\"}\n");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("no attempt's temporary file left behind")
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void onTheChecksummedLocalFileSystemOfTheDemoAFileWrittenTwiceIsPublishedWhole() throws Exception {
        FileSystem local = FileSystem.getLocal(new Configuration()); // .crc files next to each file
        ArchiveSink sink = new ArchiveSink(local, layout());
        sink.write(batch(0, 10, false), "e1-b1000");
        sink.write(batch(0, 10, false), "e1-b1000"); // a retried attempt

        assertThat(new ArchiveRecovery(local, layout()).publish("e1-b1000", 1)).isEqualTo(2);

        Map<Path, String> published = contents();
        assertThat(published.keySet())
                .containsExactlyInAnyOrder(
                        Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl"),
                        Path.of("events/dt=2026-01-01/hour=01/events+0+0000000000000000000.jsonl"));
        assertThat(published.values()).allMatch(text -> text.lines().count() == 5);
        assertThat(local.open(new org.apache.hadoop.fs.Path(
                                dir.resolve("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl")
                                        .toUri()))
                        .readAllBytes())
                .as("read through the checksums")
                .hasSize(published
                        .get(Path.of("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl"))
                        .getBytes(StandardCharsets.UTF_8)
                        .length);
    }

    /**
     * Two publishers of one committed stage at once (a driver's stop next to its last batch's publication, a reader's
     * roll-forward next to a running leader), on the checksummed local file system of the demo and the bench: each
     * file is moved by one of them, and none may be lost. A move with {@code OVERWRITE} deleted the target the other
     * publisher had just moved there, then found no source to move (found by the bench's scaling curves: a dead-letter
     * file gone, its {@code .crc} published).
     */
    @Test
    void twoPublishersOfTheSameStageAtOnceLoseNoFile() throws Exception {
        FileSystem local = FileSystem.getLocal(new Configuration());
        ArchiveSink sink = new ArchiveSink(local, layout());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String stage = "e1-b" + (1000 + round);
                Map<String, byte[]> staged = new java.util.TreeMap<>();
                // 20 files a round: each create and rename on the local file system forks a shell (about 0.15 s)
                for (int range = 0; range < 20; range++) {
                    long from = (round * 20L + range) * 10;
                    sink.write(batch(from, from + 10, true), stage);
                }
                Path stageDir = dir.resolve("_staging").resolve(stage);
                try (Stream<Path> files = Files.walk(stageDir)) {
                    for (Path f : files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .toList()) {
                        staged.put(stageDir.relativize(f).toString(), Files.readAllBytes(f));
                    }
                }
                CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 1L))
                        .withStage(stage);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<?>> publishers = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    publishers.add(pool.submit(() -> {
                        start.await();
                        try {
                            return new ArchiveRecovery(local, layout()).rollForward(committed);
                        } catch (IOException e) {
                            return -1; // allowed: the next start rolls it forward
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> publisher : publishers) {
                    publisher.get();
                }
                new ArchiveRecovery(local, layout()).rollForward(committed); // the next start
                for (Map.Entry<String, byte[]> file : staged.entrySet()) {
                    assertThat(dir.resolve(file.getKey()))
                            .as("round %d: %s published", round, file.getKey())
                            .exists()
                            .hasBinaryContent(file.getValue());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recoveryNeverPublishesAnAttemptsTemporaryFile() throws Exception {
        sink().write(batch(0, 10, false), "e3-b1000");
        // what an attempt killed mid-write (kill -9 of its executor) leaves in the stage
        Path temporary = dir.resolve(
                "_staging/e3-b1000/events/dt=2026-01-01/hour=00/.events+0+0000000000000000010.jsonl.0a1b.tmp");
        Files.writeString(temporary, "{\"event_id\":\"e10\"}\n{\"eve");
        CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L))
                .withStage("e3-b1000");

        assertThat(recovery().recover(committed, 4).filesPublished()).isEqualTo(2);

        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).map(dir::relativize).map(Path::toString))
                    .containsExactlyInAnyOrder(
                            "events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl",
                            "events/dt=2026-01-01/hour=01/events+0+0000000000000000000.jsonl");
        }
    }

    @Test
    void rollingForwardTwiceIsHarmlessAndDeletesNoOtherStage() throws Exception {
        sink().write(batch(0, 10, false), "e3-b1000"); // committed, not published
        sink().write(batch(10, 20, false), "e3-b3000"); // the running leader's next batch
        CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L))
                .withStage("e3-b1000");

        assertThat(recovery().rollForward(committed)).isEqualTo(2);
        assertThat(recovery().rollForward(committed)).isZero();
        assertThat(dir.resolve("_staging/e3-b3000")).isDirectory();
        assertThat(dir.resolve("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl"))
                .exists();
    }

    @Test
    void recoveryDeletesWhatPreStagingUncommittedRangesLeft() throws Exception {
        Path committedFile = dir.resolve("events/dt=2026-01-01/hour=00/events+0+0000000000000000000.jsonl");
        Path uncommittedFile = dir.resolve("events/dt=2026-01-01/hour=00/events+0+0000000000000000010.jsonl");
        Files.createDirectories(committedFile.getParent());
        Files.writeString(committedFile, "{}\n");
        Files.writeString(uncommittedFile, "{}\n");
        Files.createDirectories(dir.resolve("_pending"));
        Files.writeString(dir.resolve("_pending/events+0+0000000000000000010"), uncommittedFile + "\n");

        ArchiveRecovery.Report report =
                recovery().recover(CommittedOffsets.of(Map.of(new TopicPartitionKey("events", 0), 10L)), 1);

        assertThat(report.legacyFilesDeleted()).isEqualTo(1);
        assertThat(committedFile).exists();
        assertThat(uncommittedFile).doesNotExist();
        assertThat(dir.resolve("_pending")).isEmptyDirectory();
    }

    private ArchiveRecovery recovery() throws IOException {
        return new ArchiveRecovery(FileSystem.getLocal(new Configuration()).getRaw(), layout());
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
