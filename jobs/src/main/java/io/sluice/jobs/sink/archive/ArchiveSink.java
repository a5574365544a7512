package io.sluice.jobs.sink.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The archive of one root (HDFS, S3, local), task side: writes a partition batch's valid events, one file per event
 * hour in the archive's {@link EventFormat}, and its dead letters, all named after the range (see {@link ArchiveLayout}), into the batch's stage. Nothing
 * is visible to readers until the driver has committed the batch and published the stage ({@link ArchiveRecovery}),
 * so a batch that never commits (a crash, a deposed leader) leaves nothing but a stage that is deleted later.
 * Idempotent: writing the same range again rewrites the same staged files with the same content.
 */
public final class ArchiveSink {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long HOUR_MS = 3_600_000L;
    private final ArchiveLayout layout;
    private final ArchiveFiles files;
    private final EventFormat format;
    private final Configuration conf;

    /** A sink writing plain JSON lines. */
    public ArchiveSink(FileSystem fs, ArchiveLayout layout) {
        this(fs, layout, EventFormat.JSONL);
    }

    public ArchiveSink(FileSystem fs, ArchiveLayout layout, EventFormat format) {
        this.layout = layout;
        this.files = new ArchiveFiles(fs);
        this.format = format;
        this.conf = fs.getConf();
    }

    /** Counts of what one partition batch wrote. */
    public record Written(long events, long deadLetters, int files) {}

    /** Writes {@code batch} into the stage named {@code stage}. */
    public Written write(PartitionBatch batch, String stage) throws IOException {
        return write(batch, stage, ArchiveLayout.NO_ARRIVAL);
    }

    /**
     * Writes {@code batch}, whose records all arrived at {@code arrival} (a receiver block), into the stage named
     * {@code stage}; the file names carry the arrival ({@link ArchiveLayout#rangeName(SourceRange, long)}).
     */
    public Written write(PartitionBatch batch, String stage, long arrival) throws IOException {
        // grouped by the hour's number, the file name built once per hour (not per event: String.format is costly)
        Map<Long, List<PositionedEvent>> byHour = new LinkedHashMap<>();
        for (PositionedEvent e : batch.valid()) {
            byHour.computeIfAbsent(Math.floorDiv(e.event().ts(), HOUR_MS), h -> new ArrayList<>())
                    .add(e);
        }
        for (Map.Entry<Long, List<PositionedEvent>> hour : byHour.entrySet()) {
            String name = ArchiveLayout.eventFile(batch.range(), arrival, hour.getKey() * HOUR_MS, format.extension());
            files.write(layout.staged(stage, name), out -> format.write(out, hour.getValue(), batch.range(), conf));
        }
        int written = byHour.size();
        if (!batch.deadLetters().isEmpty()) {
            files.write(
                    layout.staged(stage, ArchiveLayout.deadLetterFile(batch.range(), arrival)),
                    out -> writeDeadLetters(out, batch.deadLetters()));
            written++;
        }
        return new Written(batch.valid().size(), batch.deadLetters().size(), written);
    }

    /** One event per line, as received; line breaks (only legal as JSON whitespace) become spaces. */
    static void writeEvents(OutputStream out, List<PositionedEvent> events) throws IOException {
        for (PositionedEvent e : events) {
            byte[] line = e.raw().clone();
            for (int i = 0; i < line.length; i++) {
                if (line[i] == '\n' || line[i] == '\r') {
                    line[i] = ' ';
                }
            }
            out.write(line);
            out.write('\n');
        }
    }

    /**
     * One JSON object per line: source position, reason, the job it is a dead letter of (none: of the pipeline), detail
     * and the raw bytes in base64.
     */
    static void writeDeadLetters(OutputStream out, List<DeadLetter> deadLetters) throws IOException {
        for (DeadLetter d : deadLetters) {
            try (JsonGenerator json = JSON.createGenerator(ArchiveFiles.nonClosing(out))) {
                json.writeStartObject();
                json.writeStringField("topic", d.source().topic());
                json.writeNumberField("partition", d.source().partition());
                json.writeNumberField("offset", d.offset());
                json.writeStringField("reason", d.reason().code());
                if (!d.job().isEmpty()) {
                    json.writeStringField("job", d.job()); // a dead letter of that job alone
                }
                json.writeStringField("detail", d.detail());
                json.writeFieldName("raw_base64");
                json.writeBinary(d.raw());
                json.writeEndObject();
            }
            out.write('\n');
        }
    }
}
