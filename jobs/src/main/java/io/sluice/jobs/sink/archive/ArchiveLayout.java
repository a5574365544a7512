package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Names every archive file from the source position it holds, so that writing a range twice produces the same file:
 *
 * <pre>
 * ROOT/events/dt=2026-11-22/hour=09/TOPIC+PARTITION+FROMOFFSET.parquet valid events of that event hour (UTC), in
 *                                                                      the archive's {@link EventFormat} (or .jsonl,
 *                                                                      .jsonl.gz, .jsonl.zst)
 * ROOT/dead-letter/TOPIC/TOPIC+PARTITION+FROMOFFSET.jsonl              rejected records of the range
 * ROOT/_staging/eEPOCH-bBATCHTIME/events/...  and  .../dead-letter/... a batch's files until its commit publishes them
 * ROOT/_pending/..., ROOT/_tmp/...                                     left by versions before the staging (recovery
 *                                                                      still cleans them up)
 * </pre>
 *
 * Offsets are zero-padded to 19 digits so names sort in offset order. Directories starting with {@code _} are hidden
 * from Hadoop and Spark readers.
 */
public record ArchiveLayout(String root) implements Serializable {
    private static final DateTimeFormatter HOUR_DIR =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    /** No arrival time in a range's name. */
    public static final long NO_ARRIVAL = -1;

    private static final Pattern STAGE_NAME = Pattern.compile("e(\\d+)-b\\d+");
    private static final Pattern RANGE_NAME = Pattern.compile("([a-zA-Z0-9._-]+)\\+(\\d+)\\+(\\d{19})(?:\\+a(\\d+))?");

    public ArchiveLayout {
        root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** The base name shared by every file of a range: {@code topic+partition+from}. */
    public static String rangeName(SourceRange range) {
        return rangeName(range, NO_ARRIVAL);
    }

    /**
     * The base name of a range whose records share one arrival time (a receiver block): {@code
     * topic+partition+from+a<arrival>}, so a rebuild from the archive knows the arrival; without one ({@link
     * #NO_ARRIVAL}), {@link #rangeName(SourceRange)}.
     */
    public static String rangeName(SourceRange range, long arrival) {
        String name = range.key().topic() + "+" + range.key().partition() + "+" + String.format("%019d", range.from());
        return arrival == NO_ARRIVAL ? name : name + "+a" + arrival;
    }

    public Path eventsRoot() {
        return new Path(root + "/events");
    }

    public Path deadLetterRoot() {
        return new Path(root + "/dead-letter");
    }

    /** The events file of {@code range} for the UTC hour that contains {@code eventTimeMillis}, relative to a root. */
    public static String eventFile(SourceRange range, long eventTimeMillis) {
        return eventFile(range, NO_ARRIVAL, eventTimeMillis);
    }

    /** As {@link #eventFile(SourceRange, long)}, for a range with one arrival time. */
    public static String eventFile(SourceRange range, long arrival, long eventTimeMillis) {
        return eventFile(range, arrival, eventTimeMillis, ".jsonl");
    }

    /** As {@link #eventFile(SourceRange, long, long)}, for files with the extension of an {@link EventFormat}. */
    public static String eventFile(SourceRange range, long arrival, long eventTimeMillis, String extension) {
        return hourDir(eventTimeMillis) + "/" + rangeName(range, arrival) + extension;
    }

    /** The directory of an event hour relative to a root: {@code events/dt=D/hour=H}. */
    public static String hourDir(long eventTimeMillis) {
        return "events/" + HOUR_DIR.format(Instant.ofEpochMilli(eventTimeMillis));
    }

    /** The dead-letter file of {@code range}, relative to a root. */
    public static String deadLetterFile(SourceRange range) {
        return deadLetterFile(range, NO_ARRIVAL);
    }

    /** As {@link #deadLetterFile(SourceRange)}, for a range with one arrival time. */
    public static String deadLetterFile(SourceRange range, long arrival) {
        return "dead-letter/" + range.key().topic() + "/" + rangeName(range, arrival) + ".jsonl";
    }

    /** Where readers find the file {@code relative} (one of the names above). */
    public Path published(String relative) {
        return new Path(root + "/" + relative);
    }

    /** The name of the stage of the batch at {@code batchTimeMillis} written under {@code epoch}. */
    public static String stageName(long epoch, long batchTimeMillis) {
        return "e" + epoch + "-b" + batchTimeMillis;
    }

    /** The epoch a stage name was written under; empty for a name that is not a stage's. */
    public static OptionalLong stageEpoch(String stage) {
        Matcher m = STAGE_NAME.matcher(stage);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    public Path stagingDir() {
        return new Path(root + "/_staging");
    }

    public Path stageDir(String stage) {
        return new Path(stagingDir(), stage);
    }

    /** Where a batch writes the file {@code relative} before its commit publishes it. */
    public Path staged(String stage, String relative) {
        return new Path(stageDir(stage), relative);
    }

    /** The partition and start offset a (pre-staging) pending marker or range file name stands for. */
    public static Optional<RangeStart> parseRangeName(String name) {
        Matcher m = RANGE_NAME.matcher(EventFormat.baseName(name).orElse(name));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new RangeStart(
                new TopicPartitionKey(m.group(1), Integer.parseInt(m.group(2))),
                Long.parseLong(m.group(3)),
                m.group(4) == null ? NO_ARRIVAL : Long.parseLong(m.group(4))));
    }

    /**
     * A partition and the first offset of a range written for it.
     *
     * @param arrival the arrival time of the range's records, or {@link #NO_ARRIVAL}
     */
    public record RangeStart(TopicPartitionKey key, long from, long arrival) {}
}
