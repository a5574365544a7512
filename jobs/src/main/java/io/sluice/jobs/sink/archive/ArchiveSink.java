package io.sluice.jobs.sink.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.jobs.pipeline.DeadLetter;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.pipeline.PositionedEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The archive of one root (HDFS, S3, local): writes a partition batch's valid events, one file per event hour, and
 * its dead letters, all named after the range (see {@link ArchiveLayout}).
 *
 * <p>Before any file of a range is written, a marker under {@code _pending/} lists them, so that a driver restarting
 * without the batch committed can delete exactly what an uncommitted range left behind ({@link ArchiveRecovery}).
 * Idempotent: writing the same range again rewrites the same files with the same content.
 */
public final class ArchiveSink {
    private static final JsonFactory JSON = new JsonFactory();
    private final FileSystem fs;
    private final ArchiveLayout layout;
    private final ArchiveFileCommitter committer;

    public ArchiveSink(FileSystem fs, ArchiveLayout layout) {
        this.fs = fs;
        this.layout = layout;
        this.committer = new ArchiveFileCommitter(fs, layout.tempDir());
    }

    /** Counts of what one partition batch wrote. */
    public record Written(long events, long deadLetters, int files) {}

    public Written write(PartitionBatch batch) throws IOException {
        Map<Path, List<PositionedEvent>> byHour = new LinkedHashMap<>();
        for (PositionedEvent e : batch.valid()) {
            byHour.computeIfAbsent(layout.eventFile(batch.range(), e.event().ts()), p -> new ArrayList<>())
                    .add(e);
        }
        List<Path> targets = new ArrayList<>(byHour.keySet());
        Path deadLetterFile = layout.deadLetterFile(batch.range());
        if (!batch.deadLetters().isEmpty()) {
            targets.add(deadLetterFile);
        }
        if (targets.isEmpty()) {
            return new Written(0, 0, 0);
        }
        committer.write(layout.pendingMarker(batch.range()), out -> {
            for (Path target : targets) {
                out.write((target.toUri().getPath() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        for (Map.Entry<Path, List<PositionedEvent>> hour : byHour.entrySet()) {
            committer.write(hour.getKey(), out -> writeEvents(out, hour.getValue()));
        }
        if (!batch.deadLetters().isEmpty()) {
            committer.write(deadLetterFile, out -> writeDeadLetters(out, batch.deadLetters()));
        }
        return new Written(batch.valid().size(), batch.deadLetters().size(), targets.size());
    }

    public FileSystem fileSystem() {
        return fs;
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

    /** One JSON object per line: source position, reason, detail and the raw bytes in base64. */
    static void writeDeadLetters(OutputStream out, List<DeadLetter> deadLetters) throws IOException {
        for (DeadLetter d : deadLetters) {
            try (JsonGenerator json = JSON.createGenerator(nonClosing(out))) {
                json.writeStartObject();
                json.writeStringField("topic", d.source().topic());
                json.writeNumberField("partition", d.source().partition());
                json.writeNumberField("offset", d.offset());
                json.writeStringField("reason", d.reason().code());
                json.writeStringField("detail", d.detail());
                json.writeFieldName("raw_base64");
                json.writeBinary(d.raw());
                json.writeEndObject();
            }
            out.write('\n');
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
