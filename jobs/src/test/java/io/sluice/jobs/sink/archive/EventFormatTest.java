package io.sluice.jobs.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.event.DeadLetter;
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
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format writes what every reader reads back, byte for byte and in order; Parquet states its schema. */
class EventFormatTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final SourceRange RANGE = SourceRange.of("events", 2, 40, 43);
    private final EventParser parser = new EventParser(new ParserLimits(4096, 8, 64, 16));

    @TempDir
    Path dir;

    @Test
    void eachFormatReadsBackTheEventsAsReceivedInOrder() throws IOException {
        List<byte[]> sent = List.of(
                event("e1", T0 + 1, "{\"k\":\"v\"}"),
                event("e2", T0 + 2, "{}"),
                event("e3", T0 + 3, "{\"z\":\"1\",\"a\":\"2\"}"));
        for (EventFormat format : List.of(
                EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of("type", "user_id")),
                EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.SNAPPY, List.of()),
                EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.NONE, List.of()),
                EventFormat.of(EventFormat.Kind.JSONL, EventFormat.Codec.ZSTD, List.of()),
                EventFormat.of(EventFormat.Kind.JSONL, EventFormat.Codec.GZIP, List.of()),
                EventFormat.JSONL)) {
            Path root = dir.resolve(format.kind() + "-" + format.codec());
            FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
            new ArchiveSink(fs, new ArchiveLayout(root.toUri().toString()), format).write(batch(sent), "e1-b1000", 77);
            Path file = root.resolve("_staging/e1-b1000/" + ArchiveLayout.eventFile(RANGE, 77, T0, format.extension()));
            assertThat(file).as(format.toString()).exists();
            List<String> read = new ArrayList<>();
            EventFormat.read(fs, new org.apache.hadoop.fs.Path(file.toUri()), raw -> read.add(text(raw)));
            assertThat(read)
                    .as(format.toString())
                    .containsExactly(sent.stream().map(EventFormatTest::text).toArray(String[]::new));
            assertThat(ArchiveLayout.parseRangeName(file.getFileName().toString()))
                    .hasValueSatisfying(r -> assertThat(r.from()).isEqualTo(40));
            try (Stream<Path> deadLetters = Files.list(root.resolve("_staging/e1-b1000/dead-letter/events"))) {
                assertThat(deadLetters.map(p -> p.getFileName().toString()))
                        .as("dead letters stay JSON lines")
                        .containsExactly(ArchiveLayout.rangeName(RANGE, 77) + ".jsonl");
            }
        }
    }

    @Test
    void aLateEventIsMarkedLateInParquetAndTheOthersAreNot() throws IOException {
        EventFormat format = EventFormat.of(EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of());
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
        PartitionBatch sent = batch(List.of(event("e1", T0, "{}"), event("e2", T0 + 1, "{}")));
        PartitionBatch oneLate = new PartitionBatch(
                RANGE, List.of(sent.valid().get(0), sent.valid().get(1).asLate()), List.of());
        new ArchiveSink(fs, new ArchiveLayout(dir.toUri().toString()), format).write(oneLate, "e1-b1000", 77);
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
                dir.resolve("_staging/e1-b1000/" + ArchiveLayout.eventFile(RANGE, 77, T0, ".parquet"))
                        .toUri());
        List<String> late = new ArrayList<>();
        try (var reader = org.apache.parquet.hadoop.ParquetReader.builder(
                        new org.apache.parquet.hadoop.example.GroupReadSupport(), file)
                .withConf(new Configuration())
                .build()) {
            for (org.apache.parquet.example.data.Group g = reader.read(); g != null; g = reader.read()) {
                late.add(g.getString("event_id", 0) + "="
                        + (g.getFieldRepetitionCount(ParquetEvents.LATE) > 0 && g.getBoolean(ParquetEvents.LATE, 0)));
            }
        }
        assertThat(late).containsExactly("e1=false", "e2=true");
    }

    @Test
    void parquetFilesStateTheirSchemaAndCompression() throws IOException {
        EventFormat format = EventFormat.of(
                EventFormat.Kind.PARQUET, EventFormat.Codec.ZSTD, List.of("type", "raw", "a.b", "user_id"));
        assertThat(format.columns())
                .as("reserved and unusable names stay in raw only")
                .containsExactly("type", "user_id");
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
        new ArchiveSink(fs, new ArchiveLayout(dir.toUri().toString()), format)
                .write(batch(List.of(event("e1", T0, "{\"k\":\"v\"}"))), "e1-b1000", ArchiveLayout.NO_ARRIVAL);
        Path file = dir.resolve(
                "_staging/e1-b1000/" + ArchiveLayout.eventFile(RANGE, ArchiveLayout.NO_ARRIVAL, T0, ".parquet"));
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            assertThat(reader.getFileMetaData().getSchema())
                    .isEqualTo(ParquetEvents.schema(List.of("type", "user_id")));
            assertThat(reader.getFileMetaData().getSchema().getFields().stream()
                            .map(org.apache.parquet.schema.Type::getName))
                    .containsExactly(
                            "event_id",
                            "event_time",
                            "type",
                            "user_id",
                            "attributes",
                            "source_topic",
                            "source_partition",
                            "source_offset",
                            "arrival",
                            "raw",
                            "late");
            assertThat(reader.getRowGroups().get(0).getColumns())
                    .allSatisfy(c -> assertThat(c.getCodec().name()).isEqualTo("ZSTD"));
            assertThat(reader.getRecordCount()).isEqualTo(1);
        }
    }

    @Test
    void jsonLinesTakeNoSnappy() {
        assertThatThrownBy(() -> EventFormat.of(EventFormat.Kind.JSONL, EventFormat.Codec.SNAPPY, List.of()))
                .hasMessageContaining("snappy");
    }

    private PartitionBatch batch(List<byte[]> raw) {
        List<PositionedEvent> valid = new ArrayList<>();
        long offset = RANGE.from();
        for (byte[] r : raw) {
            ParseOutcome.Valid v = (ParseOutcome.Valid) parser.parse(r);
            valid.add(new PositionedEvent(offset++, v.event(), r, 77));
        }
        List<DeadLetter> dead = List.of(new DeadLetter(
                RANGE.key(), 42, io.sluice.api.event.DeadLetterReason.MALFORMED_JSON, "x", new byte[] {'{'}, ""));
        return new PartitionBatch(RANGE, valid, dead);
    }

    private static byte[] event(String id, long ts, String attributes) {
        return ("{\"event_id\":\"" + id + "\",\"ts\":" + ts + ",\"account_id\":\"a\",\"experiment_id\":\"x\","
                        + "\"variation_id\":\"v\",\"user_id\":\"u\",\"type\":\"view\",\"attributes\":" + attributes
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
