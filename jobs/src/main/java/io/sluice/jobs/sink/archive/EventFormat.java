package io.sluice.jobs.sink.archive;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How the archive writes valid events: Parquet ({@link ParquetEvents}, the default) or JSON lines, each compressed
 * with a codec. The file name's extension says which ({@code .parquet}, {@code .jsonl}, {@code .jsonl.gz}, {@code
 * .jsonl.zst}), so a reader reads any archive, whatever format wrote it. Dead letters are always plain JSON lines.
 *
 * @param columns the event schema's fields that get a Parquet column of their own
 */
public record EventFormat(Kind kind, Codec codec, List<String> columns) implements Serializable {
    /** Plain JSON lines, one event as received per line: the format before Parquet. */
    public static final EventFormat JSONL = new EventFormat(Kind.JSONL, Codec.NONE, List.of());

    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> RESERVED = Set.of(
            "event_id",
            "event_time",
            "attributes",
            "source_topic",
            "source_partition",
            "source_offset",
            "arrival",
            ParquetEvents.RAW,
            "dt",
            "hour");

    public enum Kind {
        PARQUET,
        JSONL
    }

    public enum Codec {
        ZSTD,
        SNAPPY,
        GZIP,
        NONE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Codec of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public EventFormat {
        if (kind == Kind.JSONL && codec == Codec.SNAPPY) {
            throw new IllegalArgumentException("JSON lines are compressed with zstd, gzip or none, not snappy");
        }
        columns = List.copyOf(columns);
    }

    /**
     * The format for {@code declaredFields} (the event schema's required fields): those with a plain name that no
     * fixed column or partition column takes become columns; every field stays in {@code raw} either way.
     */
    public static EventFormat of(Kind kind, Codec codec, List<String> declaredFields) {
        return new EventFormat(
                kind,
                codec,
                declaredFields.stream()
                        .filter(f -> COLUMN.matcher(f).matches() && !RESERVED.contains(f))
                        .distinct()
                        .toList());
    }

    /** The extension of this format's event files. */
    public String extension() {
        if (kind == Kind.PARQUET) {
            return ".parquet";
        }
        return switch (codec) {
            case GZIP -> ".jsonl.gz";
            case ZSTD -> ".jsonl.zst";
            default -> ".jsonl";
        };
    }

    /** Writes {@code events} of {@code range} as one file into {@code out} (just created), leaving it open. */
    public void write(OutputStream out, List<PositionedEvent> events, SourceRange range, Configuration conf)
            throws IOException {
        if (kind == Kind.PARQUET) {
            ParquetEvents.write(out, events, range, columns, parquetCodec(), conf);
            return;
        }
        OutputStream compressed = compressing(extension(), out);
        ArchiveSink.writeEvents(compressed, events);
        compressed.close(); // ends a compressed stream; out stays open
    }

    /** Parquet's name of this format's codec. */
    public CompressionCodecName parquetCodec() {
        return switch (codec) {
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
            case GZIP -> CompressionCodecName.GZIP;
            case NONE -> CompressionCodecName.UNCOMPRESSED;
        };
    }

    /**
     * Where JSON lines for a file named {@code name} are written: compressed as its extension says ({@code .gz},
     * {@code .zst}). Closing it ends the compressed stream and leaves {@code out} open.
     */
    static OutputStream compressing(String name, OutputStream out) throws IOException {
        OutputStream kept = ArchiveFiles.nonClosing(out);
        if (name.endsWith(".gz")) {
            return new GZIPOutputStream(kept, 64 * 1024);
        }
        return name.endsWith(".zst") ? new ZstdOutputStream(kept) : kept;
    }

    /** The JSON lines of a file named {@code name}, decompressed as its extension says. */
    static InputStream decompressing(String name, InputStream in) throws IOException {
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        return name.endsWith(".zst") ? new ZstdInputStream(in) : in;
    }

    /** Whether {@code name} is an event file of any format (not a temporary one). */
    public static boolean isEventFile(String name) {
        return baseName(name).isPresent() && !name.startsWith(".") && !name.startsWith("_");
    }

    /** The name without its format's extension; empty for a name that is no event file's. */
    public static Optional<String> baseName(String name) {
        for (String ext : List.of(".parquet", ".jsonl.gz", ".jsonl.zst", ".jsonl")) {
            if (name.endsWith(ext)) {
                return Optional.of(name.substring(0, name.length() - ext.length()));
            }
        }
        return Optional.empty();
    }

    /** Hands the raw bytes of every event of {@code file}, in the file's order, to {@code raw}. */
    public static void read(FileSystem fs, Path file, Consumer<byte[]> raw) throws IOException {
        String name = file.getName();
        if (name.endsWith(".parquet")) {
            ParquetEvents.read(fs, file, raw);
            return;
        }
        if (baseName(name).isEmpty()) {
            throw new IOException("not an archive event file: " + file);
        }
        try (InputStream in = decompressing(name, fs.open(file));
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                if (!l.isEmpty()) {
                    raw.accept(l.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
