package io.sluice.bench;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.CountCell;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsSnapshot;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import io.sluice.jobs.sink.hbase.ResultsReader;
import io.sluice.jobs.sink.hbase.ResultsTable;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.verify.EventStoreContents;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The outputs every peer (Structured Streaming, Flink) writes, in one layout, and their check against the ground
 * truth: an archive of JSON-lines part files ({@code events/} with each valid event's bytes, {@code dead-letter/} with
 * each dead letter's reason, position and bytes); an event table with each valid event at its row key, its event time
 * the cell timestamp; and a results table with the absolute count per experiment, variation, 60-s window and type
 * ({@link ResultsLayout}) and per experiment and 2-s slide (row {@code S<slide start><experiment>}, column {@code
 * t:events}), each cell's newest version the value.
 */
final class PeerOutputs {
    static final long WINDOW_MS = 60_000;
    static final long SLIDE_MS = 2_000;
    static final byte[] FAMILY = Bytes.toBytes("e");
    static final byte[] RAW = Bytes.toBytes("raw");
    static final byte[] SLIDE_COLUMN = Bytes.toBytes("events");
    static final int SALT_BUCKETS = 8;

    private PeerOutputs() {}

    /**
     * "exact: ..." when the peer's archive ({@code archive}'s {@code events} and {@code dead-letter} part files), its
     * event table and its counts hold exactly the ground truth, else what differs.
     */
    static String check(Path archive, HBaseTarget target, GroundTruth truth) throws Exception {
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        Set<String> archived = new HashSet<>();
        long lines = 0;
        for (String line : lines(archive.resolve("events"))) {
            lines++;
            if (parser.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    instanceof ParseOutcome.Valid valid) {
                archived.add(valid.event().eventId());
            }
        }
        long deadLetters = lines(archive.resolve("dead-letter")).size();
        ResultsSnapshot expected = truth.results(new ResultsSettings(true, WINDOW_MS, 0, 10, WINDOW_MS, SLIDE_MS, ""));
        List<String> wrong = new ArrayList<>();
        long stored;
        try (Connection hbase = ConnectionFactory.createConnection(target.configuration())) {
            EventStoreContents events = EventStoreContents.read(hbase, target.eventTable());
            stored = events.versionsByEventId().size();
            if (!events.versionsByEventId().keySet().equals(truth.validIds())
                    || events.versionsByEventId().values().stream().anyMatch(v -> v != 1)) {
                wrong.add("event table rows " + stored + " (expected "
                        + truth.validIds().size() + ", one version each)");
            }
            Map<CountCell, Long> counts = new ResultsReader(hbase, target.resultsTable()).allCounts();
            if (!counts.equals(expected.counts())) {
                wrong.add("counts differ in " + differing(counts, expected.counts()) + " cells");
            }
            long slides = wrongSlides(hbase, target.resultsTable(), expected);
            if (slides > 0) {
                wrong.add(slides + " slide counts differ");
            }
        }
        if (lines != truth.validIds().size() || !archived.equals(truth.validIds())) {
            wrong.add(
                    "archive lines " + lines + " (expected " + truth.validIds().size() + ")");
        }
        if (deadLetters != truth.deadLetters()) {
            wrong.add("dead letters " + deadLetters + " (expected " + truth.deadLetters() + ")");
        }
        String figures = "archive lines=" + lines + " dead_letters=" + deadLetters + " event_rows=" + stored
                + " count_cells=" + expected.counts().size();
        return wrong.isEmpty() ? "exact: " + figures : "WRONG: " + String.join(", ", wrong) + "; " + figures;
    }

    private static long differing(Map<CountCell, Long> found, Map<CountCell, Long> expected) {
        Set<CountCell> cells = new HashSet<>(found.keySet());
        cells.addAll(expected.keySet());
        return cells.stream()
                .filter(c -> !java.util.Objects.equals(found.get(c), expected.get(c)))
                .count();
    }

    /** Slide counts that differ from {@code expected}'s traffic, every one read back. */
    private static long wrongSlides(Connection hbase, String table, ResultsSnapshot expected) throws IOException {
        long wrong = 0;
        try (Table t = hbase.getTable(TableName.valueOf(table))) {
            for (Map.Entry<Long, Map<ExperimentKey, Long>> slide :
                    expected.traffic().entrySet()) {
                for (Map.Entry<ExperimentKey, Long> e : slide.getValue().entrySet()) {
                    Result r = t.get(new Get(slideRow(slide.getKey(), e.getKey())));
                    byte[] value = r.getValue(ResultsLayout.TOP, SLIDE_COLUMN);
                    if (value == null || Bytes.toLong(value) != e.getValue()) {
                        wrong++;
                    }
                }
            }
        }
        return wrong;
    }

    /** Every line of every part file under {@code dir}. */
    private static List<String> lines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    static byte[] slideRow(long start, ExperimentKey experiment) {
        return Bytes.add(Bytes.toBytes("S"), Bytes.toBytes(start), ResultsLayout.experimentPrefix(experiment));
    }

    /** Where a peer writes in HBase: an event table (family {@code e}, one version) and a results table. */
    record HBaseTarget(String quorum, int port, String eventTable, String resultsTable) implements Serializable {
        /** The bench's HBase, with the tables named after {@code run} ({@code <run>_events}, {@code <run>_results}). */
        static HBaseTarget forRun(BenchContext context, String run) {
            String prefix = run.replace('-', '_');
            return new HBaseTarget(context.hbaseQuorum(), context.hbasePort(), prefix + "_events", prefix + "_results");
        }

        Configuration configuration() {
            Configuration conf = HBaseConfiguration.create();
            conf.set("hbase.zookeeper.quorum", quorum);
            conf.setInt("hbase.zookeeper.property.clientPort", port);
            return conf;
        }

        void createTables() throws Exception {
            try (Connection c = ConnectionFactory.createConnection(configuration());
                    Admin admin = c.getAdmin()) {
                TableName events = TableName.valueOf(eventTable);
                if (!admin.tableExists(events)) {
                    admin.createTable(TableDescriptorBuilder.newBuilder(events)
                            .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(FAMILY)
                                    .setMaxVersions(1)
                                    .build())
                            .build());
                }
                ResultsTable.ensure(admin, resultsTable);
            }
        }
    }
}
