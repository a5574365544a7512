package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.event.Event;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.sink.hbase.EventRowKey;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import io.sluice.jobs.sink.hbase.ResultsTable;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Increment;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import scala.Tuple2;

/**
 * The peer a user would write from the Spark documentation: Structured Streaming's Kafka source, one
 * {@code foreachBatch} that parses with the same parser, appends valid events and dead letters to the file sink
 * ({@code DataFrameWriter.text}, one directory per batch), puts every valid event into HBase from
 * {@code foreachPartition}, and adds the batch's counts per experiment, variation, window and type (and per
 * experiment and 2-s slide, the top experiments' input) with HBase {@code Increment}s. Same rate cap per partition
 * and trigger interval as Sluice's batches. At-least-once (Increments double-count a replayed batch): no outputs are
 * checked beyond the processed count.
 */
final class StructuredStreamingContender implements Contender {
    private static final long WINDOW_MS = 60_000;
    private static final long SLIDE_MS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "structured-streaming";
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception {
        Workload workload = context.workload();
        Query q = start(context, workload.topic(), "bench-ss-" + repetition);
        long started;
        long finished;
        RunMeter meter;
        RunMeter.Cost cost;
        try {
            meter = RunMeter.start(context.servers());
            started = meter.startedNanos();
            while (q.processed.get() < workload.events()) {
                meter.progress(q.processed.get());
                if (q.query.awaitTermination(50)) {
                    throw new IllegalStateException(name() + ": the query stopped: " + q.query.exception());
                }
            }
            finished = System.nanoTime();
            cost = meter.finish(workload.events());
        } finally {
            q.close();
            String table = "bench_ss_" + repetition;
            context.dropTables(table + "_events", table + "_results");
        }
        AtomicLong processed = q.processed;
        AtomicLong batches = q.batches;
        List<Long> batchMillis = q.batchMillis;
        double seconds = (finished - started) / 1e9;
        long[] sorted;
        synchronized (batchMillis) {
            sorted = batchMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return new RunFigures(
                name(),
                repetition,
                warmUp,
                workload.events(),
                seconds,
                workload.events() / seconds,
                workload.events() / seconds / context.cores(),
                context.cores(),
                batches.get(),
                sorted.length == 0 ? 0 : sorted[sorted.length / 2],
                sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                -1,
                meter.jvm().heapPeakMb(),
                meter.jvm().gcMs(),
                null,
                "processed " + processed.get() + " records (outputs not checked: at-least-once)",
                cost);
    }

    /** A running query and what its batches did. */
    static final class Query implements AutoCloseable {
        final SparkSession spark;
        final AtomicLong processed = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final List<Long> batchMillis = new ArrayList<>();
        StreamingQuery query;

        Query(SparkSession spark) {
            this.spark = spark;
        }

        @Override
        public void close() {
            try {
                if (query != null) {
                    query.stop();
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the query did not stop", e);
            } finally {
                spark.stop();
            }
        }
    }

    /** Starts the query on {@code topic}, with tables and directories named after {@code run}. */
    private Query start(BenchContext context, String topic, String run) throws Exception {
        String eventTable = run.replace('-', '_') + "_events";
        String resultsTable = run.replace('-', '_') + "_results";
        int partitions = context.workload().partitions();
        HBaseTarget hbase = new HBaseTarget(context.hbaseQuorum(), context.hbasePort(), eventTable, resultsTable);
        hbase.createTables();
        String archive =
                context.workDir().resolve(run).resolve("archive").toUri().toString();
        SparkSession spark = SparkSession.builder()
                .master("local[" + context.cores() + "]")
                .appName(run)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", Integer.toString(partitions))
                .getOrCreate();
        Query q = new Query(spark);
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        Dataset<Row> kafka = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", context.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", Long.toString(context.recordsPerPartitionPerBatch() * partitions))
                .load();
        VoidFunction2<Dataset<Row>, Long> perBatch = (batch, id) -> {
            long t0 = System.nanoTime();
            JavaRDD<Parsed> parsed = batch.select("value")
                    .javaRDD()
                    .map(row -> Parsed.of(parser, row.getAs(0)))
                    .cache();
            JavaRDD<Parsed> valid = parsed.filter(p -> p.event != null);
            spark.createDataset(valid.map(p -> p.line()).rdd(), Encoders.STRING())
                    .write()
                    .mode(SaveMode.Append)
                    .text(archive + "/events/batch=" + id);
            spark.createDataset(
                            parsed.filter(p -> p.event == null)
                                    .map(p -> p.reason)
                                    .rdd(),
                            Encoders.STRING())
                    .write()
                    .mode(SaveMode.Append)
                    .text(archive + "/dead-letter/batch=" + id);
            valid.foreachPartition(hbase::putEvents);
            JavaPairRDD<String, Long> counts =
                    valid.flatMapToPair(StructuredStreamingContender::countKeys).reduceByKey(Long::sum);
            counts.foreachPartition(hbase::increment);
            q.processed.addAndGet(parsed.count());
            parsed.unpersist();
            q.batches.incrementAndGet();
            synchronized (q.batchMillis) {
                q.batchMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        };
        q.query = kafka.writeStream()
                .trigger(Trigger.ProcessingTime(context.batchIntervalMs()))
                .option(
                        "checkpointLocation",
                        context.workDir().resolve(run).resolve("checkpoint").toString())
                .foreachBatch(perBatch)
                .start();
        return q;
    }

    @Override
    public PacedRun startPaced(BenchContext context, String topic) throws Exception {
        Query q = start(context, topic, "bench-ss-paced");
        return new PacedRun() {
            @Override
            public Map<Integer, Long> committed() {
                Map<Integer, Long> next = new TreeMap<>();
                StreamingQueryProgress progress = q.query.lastProgress();
                if (progress == null || progress.sources().length == 0) {
                    return next;
                }
                try {
                    JsonNode end =
                            JSON.readTree(progress.sources()[0].endOffset()).path(topic);
                    end.fields()
                            .forEachRemaining(p -> next.put(
                                    Integer.parseInt(p.getKey()), p.getValue().asLong()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return next;
            }

            @Override
            public void close() {
                q.close();
            }
        };
    }

    /** One count per (experiment, variation, window, type) and one per (experiment, slide) for the top list. */
    private static Iterator<Tuple2<String, Long>> countKeys(Parsed p) {
        Event e = p.event;
        long window = Math.floorDiv(e.ts(), WINDOW_MS) * WINDOW_MS;
        long slide = Math.floorDiv(e.ts(), SLIDE_MS) * SLIDE_MS;
        return List.of(
                        new Tuple2<>(
                                "C\t" + e.accountId() + "\t" + e.experimentId() + "\t" + e.variationId() + "\t" + window
                                        + "\t" + e.type(),
                                1L),
                        new Tuple2<>("S\t" + e.accountId() + "\t" + e.experimentId() + "\t" + slide, 1L))
                .iterator();
    }

    /** A parsed record: the event, or the reason it was rejected. */
    static final class Parsed implements Serializable {
        final Event event;
        final byte[] raw;
        final String reason;

        private Parsed(Event event, byte[] raw, String reason) {
            this.event = event;
            this.raw = raw;
            this.reason = reason;
        }

        static Parsed of(EventParser parser, byte[] raw) {
            ParseOutcome outcome = parser.parse(raw);
            return outcome instanceof ParseOutcome.Valid v
                    ? new Parsed(v.event(), raw, null)
                    : new Parsed(
                            null,
                            raw,
                            ((ParseOutcome.Rejected) outcome).reason().code());
        }

        String line() {
            return new String(raw, StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' ');
        }
    }

    /** Where the peer writes in HBase; a connection per task partition, as the usual examples do. */
    record HBaseTarget(String quorum, int port, String eventTable, String resultsTable) implements Serializable {
        private Configuration configuration() {
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
                            .setColumnFamily(ColumnFamilyDescriptorBuilder.of("e"))
                            .build());
                }
                ResultsTable.ensure(admin, resultsTable);
            }
        }

        void putEvents(Iterator<Parsed> events) throws Exception {
            try (Connection c = ConnectionFactory.createConnection(configuration());
                    BufferedMutator out = c.getBufferedMutator(TableName.valueOf(eventTable))) {
                while (events.hasNext()) {
                    Parsed p = events.next();
                    out.mutate(new Put(EventRowKey.of(p.event.eventId(), 8))
                            .addColumn(Bytes.toBytes("e"), Bytes.toBytes("raw"), p.event.ts(), p.raw));
                }
            }
        }

        void increment(Iterator<Tuple2<String, Long>> counts) throws Exception {
            try (Connection c = ConnectionFactory.createConnection(configuration());
                    BufferedMutator out = c.getBufferedMutator(TableName.valueOf(resultsTable))) {
                while (counts.hasNext()) {
                    Tuple2<String, Long> count = counts.next();
                    String[] k = count._1().split("\t");
                    ExperimentKey experiment = new ExperimentKey(k[1], k[2]);
                    if (k[0].equals("C")) {
                        byte[] row = ResultsLayout.countRow(Long.parseLong(k[4]), experiment, k[3]);
                        out.mutate(new Increment(row).addColumn(ResultsLayout.COUNTS, Bytes.toBytes(k[5]), count._2()));
                    } else {
                        byte[] row = Bytes.add(Bytes.toBytes("S" + k[3]), ResultsLayout.experimentPrefix(experiment));
                        out.mutate(
                                new Increment(row).addColumn(ResultsLayout.TOP, Bytes.toBytes("events"), count._2()));
                    }
                }
            }
        }
    }
}
