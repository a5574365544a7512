package io.sluice.it.archive;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.cli.ArchiveCommand;
import io.sluice.driver.cli.Commands;
import io.sluice.driver.cli.ReplayCommand;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.replay.ArchiveReplayRun;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsRecount;
import io.sluice.jobs.results.ResultsSnapshot;
import io.sluice.jobs.sink.archive.ArchiveCompactor;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveTables;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.HBaseConfig;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.verify.ArchiveContents;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The archive for batch analysis, on HDFS with an S3 replica: a run spanning three hours of event time, its driver
 * killed with -9 twice in the middle of compactions (once while the compacted files were written, once between the
 * renames that swap them in), ends with every final hour compacted into one Parquet file and marked {@code _SUCCESS},
 * the hour still open unmarked and in its small files, exactly the events the producer sent (each once, by hour), the
 * S3 replica equal to the primary, and Spark SQL counting them right through the table {@code sluice archive ddl}
 * declares. Then {@code sluice replay} of the run into fresh tables, killed with -9 midway and run again, fills an event
 * table equal to the live one row for row and results equal to the producer's ground truth.
 */
@RealServers
class ArchiveCompactionIT {
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 9_000;
    private static final long HOUR = 3_600_000L;
    private static final long LATENESS_MS = 5_000; // the scenarios' allowed lateness
    private static final DateTimeFormatter DT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HH =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    @Test
    @Timeout(900)
    void finalHoursAreCompactedOnceMarkedAndReadRightAfterKillsMidCompaction() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("compaction", PARTITIONS, true)
                .set("sluice.streaming.batch-interval-ms", "2000")
                .set("sluice.zookeeper.session-timeout-ms", "10000")
                .set("sluice.ha.suspended-grace-ms", "6000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        SluiceSettings settings = scenario.settings();
        String primaryRoot = settings.pipeline().archiveRoots().get(0);
        String replicaRoot = settings.pipeline().archiveRoots().get(1);
        FileSystem primaryFs = fileSystem(settings, primaryRoot);
        ArchiveLayout primary = new ArchiveLayout(primaryRoot);

        // three hours of event time ending 20 minutes into the third: the first two become final
        long start = Math.floorDiv(System.currentTimeMillis(), HOUR) * HOUR - 3 * HOUR;
        long end = start + 2 * HOUR + 20 * 60_000L;
        Map<String, Set<String>> truth = produce(scenario, start, end);
        long[] clocks = new long[PARTITIONS];
        for (int i = 0; i < EVENTS; i++) {
            clocks[i % PARTITIONS] = Math.max(clocks[i % PARTITIONS], time(start, end, i));
        }
        long finalBefore = Arrays.stream(clocks).min().orElseThrow() - LATENESS_MS;

        List<String> jvm = List.of("-D" + ArchiveCompactor.STEP_DELAY_MS + "=1500");
        ChildProcess first = DriverProcess.start(config, work.resolve("driver-0.log"), jvm);
        awaitDir(
                primaryFs,
                primary,
                first,
                n -> n.startsWith("_compacting-") && n.contains("."),
                "a compaction writing");
        first.kill();
        ChildProcess second = DriverProcess.start(config, work.resolve("driver-1.log"), jvm);
        awaitDir(primaryFs, primary, second, n -> n.startsWith("_compacted-"), "a compaction between its renames");
        second.kill();
        ChildProcess last = DriverProcess.start(config, work.resolve("driver-2.log"));
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));

        List<String> finalHours =
                truth.keySet().stream().filter(h -> hourEnd(h) <= finalBefore).toList();
        assertThat(finalHours).as("hours final by the end").hasSize(2);
        eventually(
                Duration.ofMinutes(3),
                () -> {
                    assertThat(last.isAlive())
                            .as("driver alive (log %s)", last.log())
                            .isTrue();
                    return finalHours.stream().allMatch(h -> marked(primaryFs, primary, h))
                            && hidden(primaryFs, primary).isEmpty();
                },
                "every final hour compacted and marked, no compaction left midway");

        for (String hour : truth.keySet()) {
            List<String> names = names(primaryFs, primary.published(hour));
            if (finalHours.contains(hour)) {
                assertThat(names)
                        .as("%s: one compacted file (its small files are far below 128 MB) and the marker", hour)
                        .containsExactly(ArchiveCompactor.MARKER, "part-00000.parquet");
            } else {
                assertThat(names).as("%s is not final: no marker", hour).doesNotContain(ArchiveCompactor.MARKER);
                assertThat(names).as("%s: small files", hour).allMatch(n -> n.endsWith(".parquet"));
            }
        }
        ArchiveContents archive = ArchiveContents.read(primaryFs, primaryRoot);
        Set<String> sent = new TreeSet<>();
        truth.values().forEach(sent::addAll);
        assertThat(archive.lines()).as("events in the primary").isEqualTo(EVENTS);
        assertThat(archive.eventIdCounts().keySet())
                .as("event ids in the primary")
                .isEqualTo(sent);
        assertThat(archive.deadLetters()).isZero();

        FileSystem replicaFs = fileSystem(settings, replicaRoot);
        eventually(
                Duration.ofMinutes(2),
                () -> ArchiveTables.compare(primaryFs, primary, replicaFs, new ArchiveLayout(replicaRoot))
                        .equal(),
                "the S3 replica equals the primary");
        assertThat(last.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);

        replayIntoFreshTablesKilledAndRunAgain(scenario, settings, config, work, start, end);

        String ddl = run(
                new ArchiveCommand(),
                "ddl",
                "--config",
                config.toString(),
                "--dialect",
                "spark",
                "--table",
                "archived");
        assertThat(ddl).contains("USING parquet", "PARTITIONED BY (dt, hour)");
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("archive-reader")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        try {
            assertThat(spark.read().parquet(primary.eventsRoot().toString()).count())
                    .as("spark.read.parquet(root) counts every event once")
                    .isEqualTo(EVENTS);
            for (String statement : ddl.split(";\n")) {
                if (!statement.isBlank()) {
                    spark.sql(statement.replaceAll("--[^\n]*", ""));
                }
            }
            Map<String, Long> counted = new TreeMap<>();
            Map<String, Long> distinct = new TreeMap<>();
            for (Row r : spark.sql("SELECT dt, hour, count(*), count(DISTINCT event_id), min(event_time) FROM archived"
                            + " GROUP BY dt, hour")
                    .collectAsList()) {
                String hour = "events/dt=" + r.getString(0) + "/hour=" + r.getString(1);
                counted.put(hour, r.getLong(2));
                distinct.put(hour, r.getLong(3));
            }
            Map<String, Long> expected = new TreeMap<>();
            truth.forEach((h, ids) -> expected.put(h, (long) ids.size()));
            assertThat(counted).as("events per hour through the table").isEqualTo(expected);
            assertThat(distinct).as("distinct events per hour").isEqualTo(expected);
        } finally {
            spark.stop();
        }
    }

    /**
     * {@code sluice replay} of the whole run into a fresh event table and a fresh results table, killed with -9 after
     * its first step and run again: the event table then equals the live one row for row (every cell's value, and
     * the timestamp of every event cell; a claim cell's timestamp is the server's), and the results table holds the
     * counts and top rows of the events the producer sent.
     */
    private static void replayIntoFreshTablesKilledAndRunAgain(
            PipelineScenario scenario, SluiceSettings settings, Path config, Path work, long start, long end)
            throws Exception {
        String liveEvents = settings.pipeline().hbase().eventTable();
        String replayEvents = liveEvents + "_replay";
        String replayResults = settings.pipeline().results().table() + "_replay";
        Path target = work.resolve("replay-target.properties");
        Files.writeString(
                target,
                HBaseConfig.EVENT_TABLE + "=" + replayEvents + "\n" + ResultsJob.TABLE + "=" + replayResults + "\n"
                        + HBaseConfig.CREATE + "=true\n");
        List<String> args = List.of(
                "--config",
                config.toString(),
                "--target-config",
                target.toString(),
                "--from",
                Instant.ofEpochMilli(start).toString(),
                "--to",
                Long.toString(end),
                "--jobs",
                "event-store,results",
                "--files-per-task-slot",
                "1");
        ChildProcess killed = DriverProcess.command(
                "sluice-replay",
                ReplayCommand.class.getName(),
                args,
                work.resolve("replay-0.log"),
                List.of("-D" + ArchiveReplayRun.STEP_DELAY_MS + "=4000"),
                Map.of());
        Pattern step = Pattern.compile("replay: (\\d+)/(\\d+) files,");
        eventually(
                Duration.ofMinutes(3),
                () -> {
                    assertThat(killed.isAlive())
                            .as("replay alive (log %s)", killed.log())
                            .isTrue();
                    return step.matcher(Files.readString(killed.log())).find();
                },
                "the replay's first step done");
        killed.kill();
        Matcher first = step.matcher(Files.readString(killed.log()));
        assertThat(first.find()).isTrue();
        assertThat(Integer.parseInt(first.group(1))).as("killed midway").isLessThan(Integer.parseInt(first.group(2)));

        ChildProcess rerun = DriverProcess.command(
                "sluice-replay",
                ReplayCommand.class.getName(),
                args,
                work.resolve("replay-1.log"),
                List.of(),
                Map.of());
        assertThat(rerun.awaitExit(Duration.ofMinutes(4)).orElse(-1))
                .as("the replay run again ends (log %s)", rerun.log())
                .isEqualTo(0);

        try (Connection hbase =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            Map<String, List<String>> live = rows(hbase, liveEvents);
            assertThat(live).as("live event rows").hasSize(EVENTS);
            assertThat(rows(hbase, replayEvents))
                    .as("the replayed event table, row for row")
                    .isEqualTo(live);
        }
        Properties merged = new Properties();
        merged.putAll(scenario.properties());
        merged.setProperty(HBaseConfig.EVENT_TABLE, replayEvents);
        merged.setProperty(ResultsJob.TABLE, replayResults);
        SluiceSettings replayed = SettingsLoader.load(merged);
        assertThat(ResultsCheck.against(replayed, RESULTS_TRUTH.get()))
                .as("the replayed results against the producer's events")
                .isEmpty();
    }

    /** The producer's events counted as the results job counts them (set by {@link #produce}). */
    private static final AtomicReference<ResultsSnapshot> RESULTS_TRUTH = new AtomicReference<>();

    /**
     * Every row of {@code table}: its cells as family:qualifier[@timestamp]=value. A claim cell is its owner's source
     * position, without the timestamp (the server's) and without the epoch suffix a leader adds to the claims it
     * makes ({@code @N}: which leader claimed it, not what it owns).
     */
    private static Map<String, List<String>> rows(Connection hbase, String table) throws IOException {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Table t = hbase.getTable(TableName.valueOf(table));
                ResultScanner scanner = t.getScanner(new Scan())) {
            for (Result r : scanner) {
                List<String> cells = new ArrayList<>();
                for (Cell c : r.rawCells()) {
                    String qualifier = Bytes.toStringBinary(CellUtil.cloneQualifier(c));
                    boolean claim = Arrays.equals(CellUtil.cloneQualifier(c), EventClaims.CLAIM);
                    String value = Bytes.toStringBinary(CellUtil.cloneValue(c));
                    cells.add(Bytes.toStringBinary(CellUtil.cloneFamily(c))
                            + ":" + qualifier
                            + (claim ? "=" + value.replaceAll("@\\d+$", "") : "@" + c.getTimestamp() + "=" + value));
                }
                rows.put(Bytes.toStringBinary(r.getRow()), cells);
            }
        }
        return rows;
    }

    /** The event time of event {@code i}: evenly from {@code start} to {@code end}. */
    private static long time(long start, long end, int i) {
        return start + (end - start) * i / EVENTS;
    }

    /** Sends the events, each with its event time as its record time; returns their ids by hour directory. */
    private static Map<String, Set<String>> produce(PipelineScenario scenario, long start, long end) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.properties().get("sluice.kafka.bootstrap-servers"));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<String, Set<String>> truth = new TreeMap<>();
        List<byte[]> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                long ts = time(start, end, i);
                String id = "cmp-" + i;
                String json = "{\"event_id\":\"" + id + "\",\"ts\":" + ts + ",\"account_id\":\"acct-" + (i % 3)
                        + "\",\"experiment_id\":\"exp-" + (i % 5) + "\",\"variation_id\":\"v" + (i % 2)
                        + "\",\"user_id\":\"user-" + (i % 997) + "\",\"type\":\"" + (i % 4 == 0 ? "conversion" : "view")
                        + "\",\"attributes\":{\"page\":\"/p/" + (i % 7) + "\"}}";
                truth.computeIfAbsent(hourDir(ts), h -> new TreeSet<>()).add(id);
                sent.add(json.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(
                        scenario.topic(), i % PARTITIONS, ts, null, json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        SluiceSettings settings = scenario.settings();
        Map<List<Object>, Long> sums = new HashMap<>();
        ResultsRecount.keys(
                        sent.iterator(),
                        settings.pipeline().parser(),
                        settings.pipeline().results())
                .forEachRemaining(k -> sums.merge(k._1(), k._2(), Long::sum));
        RESULTS_TRUTH.set(ResultsRecount.snapshot(sums));
        return truth;
    }

    private static String hourDir(long ts) {
        Instant t = Instant.ofEpochMilli(ts);
        return "events/dt=" + DT.format(t) + "/hour=" + HH.format(t);
    }

    private static long hourEnd(String hourDir) {
        String[] parts = hourDir.split("/");
        return LocalDate.parse(parts[1].substring(3))
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli()
                + (Integer.parseInt(parts[2].substring(5)) + 1) * HOUR;
    }

    private interface NameTest {
        boolean matches(String name);
    }

    /** Waits for a directory beside the hours whose name passes {@code test}: a compaction at that step. */
    private static void awaitDir(FileSystem fs, ArchiveLayout layout, ChildProcess driver, NameTest test, String what) {
        eventually(
                Duration.ofMinutes(3),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    return hidden(fs, layout).stream().anyMatch(test::matches);
                },
                what);
    }

    /** What the days hold beside their hours: compactions under way or left. */
    private static List<String> hidden(FileSystem fs, ArchiveLayout layout) throws IOException {
        List<String> found = new ArrayList<>();
        if (!fs.exists(layout.eventsRoot())) {
            return found;
        }
        for (FileStatus day : fs.listStatus(layout.eventsRoot())) {
            try {
                for (FileStatus child : fs.listStatus(day.getPath())) {
                    if (child.getPath().getName().startsWith("_")) {
                        found.add(child.getPath().getName());
                    }
                }
            } catch (FileNotFoundException e) {
                // a day deleted meanwhile
            }
        }
        return found;
    }

    private static boolean marked(FileSystem fs, ArchiveLayout layout, String hour) {
        try {
            return fs.exists(layout.published(hour + "/" + ArchiveCompactor.MARKER));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> names(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir)) {
            if (!f.getPath().getName().startsWith(".")) {
                names.add(f.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    private static FileSystem fileSystem(SluiceSettings settings, String root) throws IOException {
        return FileSystem.newInstance(
                URI.create(root),
                ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()));
    }

    /** Runs a command in this JVM and returns what it printed; it must succeed. */
    private static String run(Object command, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Commands.execute(command, args);
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
        return text;
    }
}
