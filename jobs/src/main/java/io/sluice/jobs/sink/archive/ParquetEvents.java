package io.sluice.jobs.sink.archive;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * The archive's Parquet files, written and read with parquet-mr (the library Spark itself bundles). One row per valid
 * event; the schema is stated, from the event schema's declared fields:
 *
 * <pre>
 * event_id          string, required      the identity (the sender's, or derived from the source position)
 * event_time        timestamp (ms, UTC)   the event time, as the schema's time format read it
 * &lt;field&gt;...        string, optional      each field the event schema requires (sluice.schema.required-fields)
 * attributes        map&lt;string,string&gt;   the event's free map, when it has one
 * source_topic      string                where it was read: topic (or http for push ingestion),
 * source_partition  int                   partition (receiver block slot),
 * source_offset     long                  offset
 * arrival           timestamp, optional   when the source received it (Kafka's record time, a receiver's stamp)
 * raw               string                the event as received, byte for byte
 * late              boolean, optional     true when the event was late: counted as a revision of its window
 * </pre>
 *
 * The {@code dt} and {@code hour} partition columns come from the directories ({@link ArchiveLayout}).
 */
public final class ParquetEvents {
    public static final String RAW = "raw";
    public static final String LATE = "late";

    private ParquetEvents() {}

    /** The schema of the archive's Parquet files for an event schema whose declared fields are {@code columns}. */
    public static MessageType schema(List<String> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(BINARY).as(stringType()).named("event_id");
        b.required(INT64).as(timestampType(true, TimeUnit.MILLIS)).named("event_time");
        for (String column : columns) {
            b.optional(BINARY).as(stringType()).named(column);
        }
        b.optionalGroup()
                .as(LogicalTypeAnnotation.mapType())
                .repeatedGroup()
                .required(BINARY)
                .as(stringType())
                .named("key")
                .required(BINARY)
                .as(stringType())
                .named("value")
                .named("key_value")
                .named("attributes");
        b.required(BINARY).as(stringType()).named("source_topic");
        b.required(INT32).named("source_partition");
        b.required(INT64).named("source_offset");
        b.optional(INT64).as(timestampType(true, TimeUnit.MILLIS)).named("arrival");
        b.required(BINARY).as(stringType()).named(RAW);
        b.optional(BOOLEAN).named(LATE);
        return b.named("sluice_event");
    }

    /**
     * Writes {@code events} of {@code range} as one Parquet file into {@code out} (a file just created: its position
     * is 0); {@code out} is flushed, not closed.
     */
    public static void write(
            OutputStream out,
            List<PositionedEvent> events,
            SourceRange range,
            List<String> columns,
            CompressionCodecName codec,
            Configuration conf)
            throws IOException {
        try (ParquetWriter<PositionedEvent> writer = new Builder(new StreamFile(out), range, columns)
                .withCompressionCodec(codec)
                .withConf(conf)
                .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (PositionedEvent e : events) {
                writer.write(e);
            }
        }
    }

    /** Hands the raw bytes of every event of a Parquet file to {@code raw}, in the file's order. */
    public static void read(FileSystem fs, Path file, Consumer<byte[]> raw) throws IOException {
        Configuration conf = new Configuration(fs.getConf());
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, "message m { required binary " + RAW + " (STRING); }");
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file)
                .withConf(conf)
                .build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                raw.accept(g.getBinary(RAW, 0).getBytes());
            }
        }
    }

    /** One archived event with the source position it was read from. */
    public record Archived(String topic, int partition, long offset, long arrival, byte[] raw) {}

    /**
     * Hands every event of a Parquet file to {@code events} with its source position (the columns {@code
     * source_topic}, {@code source_partition}, {@code source_offset}, {@code arrival}), in the file's order: what a
     * replay needs to write the same cells again.
     */
    public static void readPositioned(FileSystem fs, Path file, Consumer<Archived> events) throws IOException {
        Configuration conf = new Configuration(fs.getConf());
        conf.set(
                ReadSupport.PARQUET_READ_SCHEMA,
                "message m { required binary source_topic (STRING); required int32 source_partition;"
                        + " required int64 source_offset; optional int64 arrival (TIMESTAMP(MILLIS,true));"
                        + " required binary " + RAW + " (STRING); }");
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file)
                .withConf(conf)
                .build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                events.accept(new Archived(
                        g.getString("source_topic", 0),
                        g.getInteger("source_partition", 0),
                        g.getLong("source_offset", 0),
                        g.getFieldRepetitionCount("arrival") == 0
                                ? PositionedEvent.UNKNOWN_ARRIVAL
                                : g.getLong("arrival", 0),
                        g.getBinary(RAW, 0).getBytes()));
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<PositionedEvent, Builder> {
        private final SourceRange range;
        private final List<String> columns;

        Builder(OutputFile file, SourceRange range, List<String> columns) {
            super(file);
            this.range = range;
            this.columns = columns;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<PositionedEvent> getWriteSupport(Configuration conf) {
            return new EventWriteSupport(schema(columns), range, columns);
        }
    }

    /** One event, one row: fields in the schema's order, absent ones skipped. */
    private static final class EventWriteSupport extends WriteSupport<PositionedEvent> {
        private final MessageType schema;
        private final Binary topic;
        private final int partition;
        private final List<String> columns;
        private RecordConsumer rc;

        EventWriteSupport(MessageType schema, SourceRange range, List<String> columns) {
            this.schema = schema;
            this.topic = Binary.fromString(range.key().topic());
            this.partition = range.key().partition();
            this.columns = columns;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            Map<String, String> meta = new HashMap<>();
            meta.put("sluice.schema", "events");
            return new WriteContext(schema, meta);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.rc = recordConsumer;
        }

        @Override
        public void write(PositionedEvent e) {
            rc.startMessage();
            int i = 0;
            binary("event_id", i++, Binary.fromString(e.event().eventId()));
            int64("event_time", i++, e.event().ts());
            for (String column : columns) {
                String value = e.event().field(column);
                if (value != null) {
                    binary(column, i, Binary.fromString(value));
                }
                i++;
            }
            Map<String, String> attributes = e.event().attributes();
            if (!attributes.isEmpty()) {
                rc.startField("attributes", i);
                rc.startGroup();
                rc.startField("key_value", 0);
                for (Map.Entry<String, String> a : new TreeMap<>(attributes).entrySet()) {
                    rc.startGroup();
                    binary("key", 0, Binary.fromString(a.getKey()));
                    binary("value", 1, Binary.fromString(a.getValue()));
                    rc.endGroup();
                }
                rc.endField("key_value", 0);
                rc.endGroup();
                rc.endField("attributes", i);
            }
            i++;
            binary("source_topic", i++, topic);
            rc.startField("source_partition", i);
            rc.addInteger(partition);
            rc.endField("source_partition", i++);
            int64("source_offset", i++, e.offset());
            if (e.arrival() != PositionedEvent.UNKNOWN_ARRIVAL) {
                int64("arrival", i, e.arrival());
            }
            i++;
            binary(RAW, i++, Binary.fromConstantByteArray(e.raw()));
            if (e.late()) {
                rc.startField(LATE, i);
                rc.addBoolean(true);
                rc.endField(LATE, i);
            }
            rc.endMessage();
        }

        private void binary(String name, int index, Binary value) {
            rc.startField(name, index);
            rc.addBinary(value);
            rc.endField(name, index);
        }

        private void int64(String name, int index, long value) {
            rc.startField(name, index);
            rc.addLong(value);
            rc.endField(name, index);
        }
    }

    /** An already open stream (at position 0) as Parquet's output file; closing it flushes and leaves it open. */
    static OutputFile outputFile(OutputStream out) {
        return new StreamFile(out);
    }

    private record StreamFile(OutputStream out) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    position++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    position += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
