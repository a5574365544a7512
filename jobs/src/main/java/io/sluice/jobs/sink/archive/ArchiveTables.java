package io.sluice.jobs.sink.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a batch-analysis user needs of an archive root: the {@code CREATE EXTERNAL TABLE} of its layout (Hive and Spark
 * SQL), with the partitions it holds so far, and the comparison of a replica with the primary.
 */
public final class ArchiveTables {
    private static final Pattern HOUR_DIR = Pattern.compile("events/dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/[^/]+");

    private ArchiveTables() {}

    /** Whose SQL: Hive's (also Spark SQL with Hive support) or Spark SQL's own data source tables. */
    public enum Dialect {
        HIVE,
        SPARK
    }

    /** An hour of a root: {@code dt}, {@code hour} and whether it is complete (compacted, marked). */
    public record Hour(String dt, String hour, boolean complete) {}

    /** The event hours a root holds, oldest first. */
    public static List<Hour> hours(FileSystem fs, ArchiveLayout layout) throws IOException {
        Map<String, Long> files = ArchiveReplicator.visibleFiles(fs, layout, layout.eventsRoot());
        List<Hour> hours = new ArrayList<>();
        String last = null;
        for (String file : files.keySet()) {
            Matcher m = HOUR_DIR.matcher(file);
            if (!m.matches()) {
                continue;
            }
            String dir = m.group(1) + "/" + m.group(2);
            if (!dir.equals(last)) {
                boolean complete = files.containsKey(
                        "events/dt=" + m.group(1) + "/hour=" + m.group(2) + "/" + ArchiveCompactor.MARKER);
                hours.add(new Hour(m.group(1), m.group(2), complete));
                last = dir;
            }
        }
        return hours;
    }

    /**
     * The statements that declare the archive's events as table {@code table} over {@code layout}'s root, partitioned
     * by {@code dt} and {@code hour}, and add the partitions it holds (an hour not complete yet is added too, marked
     * by a comment: it may still change).
     */
    public static String ddl(
            String table, EventFormat format, ArchiveLayout layout, List<Hour> hours, Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        boolean spark = dialect == Dialect.SPARK;
        sql.append(spark ? "CREATE TABLE IF NOT EXISTS " : "CREATE EXTERNAL TABLE IF NOT EXISTS ")
                .append(table)
                .append(" (\n");
        List<String> columns = new ArrayList<>();
        if (format.kind() == EventFormat.Kind.PARQUET) {
            columns.add("  event_id STRING");
            columns.add("  event_time TIMESTAMP");
            format.columns().forEach(c -> columns.add("  `" + c + "` STRING"));
            columns.add("  attributes MAP<STRING, STRING>");
            columns.add("  source_topic STRING");
            columns.add("  source_partition INT");
            columns.add("  source_offset BIGINT");
            columns.add("  arrival TIMESTAMP");
            columns.add("  raw STRING");
        } else {
            columns.add("  line STRING");
        }
        if (spark) {
            columns.add("  dt STRING");
            columns.add("  hour STRING");
        }
        sql.append(String.join(",\n", columns)).append("\n)\n");
        if (spark) {
            sql.append(format.kind() == EventFormat.Kind.PARQUET ? "USING parquet\n" : "USING text\n");
            sql.append("PARTITIONED BY (dt, hour)\n");
        } else {
            sql.append("PARTITIONED BY (dt STRING, hour STRING)\n");
            sql.append(
                    format.kind() == EventFormat.Kind.PARQUET
                            ? "STORED AS PARQUET\n"
                            : "STORED AS TEXTFILE -- one event as received per line: get_json_object(line, '$.field')\n");
        }
        sql.append("LOCATION '").append(layout.eventsRoot()).append("';\n");
        for (Hour h : hours) {
            sql.append("ALTER TABLE ")
                    .append(table)
                    .append(" ADD IF NOT EXISTS PARTITION (dt='")
                    .append(h.dt())
                    .append("', hour='")
                    .append(h.hour())
                    .append("') LOCATION '")
                    .append(new Path(layout.eventsRoot(), "dt=" + h.dt() + "/hour=" + h.hour()))
                    .append("';")
                    .append(h.complete() ? "" : " -- not final yet")
                    .append('\n');
        }
        return sql.toString();
    }

    /**
     * A replica against the primary, as readers see both (events, markers and dead letters).
     *
     * @param missing files the replica lacks
     * @param differing files both hold with different lengths
     * @param extra files only the replica holds (small files a compaction replaced, not removed yet)
     */
    public record Comparison(List<String> missing, List<String> differing, List<String> extra, int primaryFiles) {
        public boolean equal() {
            return missing.isEmpty() && differing.isEmpty() && extra.isEmpty();
        }
    }

    public static Comparison compare(
            FileSystem primaryFs, ArchiveLayout primary, FileSystem replicaFs, ArchiveLayout replica)
            throws IOException {
        Map<String, Long> p = new java.util.TreeMap<>();
        Map<String, Long> r = new java.util.TreeMap<>();
        for (String dir : List.of("events", "dead-letter")) {
            p.putAll(ArchiveReplicator.visibleFiles(primaryFs, primary, primary.published(dir)));
            r.putAll(ArchiveReplicator.visibleFiles(replicaFs, replica, replica.published(dir)));
        }
        List<String> missing = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        p.forEach((name, length) -> {
            Long other = r.get(name);
            if (other == null) {
                missing.add(name);
            } else if (!other.equals(length)) {
                differing.add(name);
            }
        });
        List<String> extra = r.keySet().stream().filter(n -> !p.containsKey(n)).toList();
        return new Comparison(missing, differing, extra, p.size());
    }
}
