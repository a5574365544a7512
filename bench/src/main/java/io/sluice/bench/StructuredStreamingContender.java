package io.sluice.bench;

import static io.sluice.bench.PeerOutputs.FAMILY;
import static io.sluice.bench.PeerOutputs.RAW;
import static io.sluice.bench.PeerOutputs.SALT_BUCKETS;
import static io.sluice.bench.PeerOutputs.SLIDE_COLUMN;
import static io.sluice.bench.PeerOutputs.SLIDE_MS;
import static io.sluice.bench.PeerOutputs.WINDOW_MS;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.event.Event;
import io.sluice.bench.PeerOutputs.HBaseTarget;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.sink.hbase.EventRowKey;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The peer a user would write from the Spark documentation to get what Sluice promises, each output exactly once
 * under replay: Structured Streaming's Kafka source parsed with the same parser, each {@code event_id} once
 * ({@code dropDuplicatesWithinWatermark}), and idempotent writes only. Two queries, since one query has one sink:
 *
 * <ul>
 *   <li><b>store</b>: {@code foreachBatch} overwrites the batch's own archive directories ({@code
 *       events/batch=<id>} with the valid events' JSON lines, {@code dead-letter/batch=<id>} with each dead letter's
 *       reason, position and bytes), so a replayed batch id rewrites them, and puts every valid event into HBase with
 *       its event time as the cell timestamp;
 *   <li><b>counts</b>: a streaming aggregation (state in the query's checkpoint) of the counts per experiment,
 *       variation, 60-s window and type, and per experiment and 2-s slide (the top experiments' input), in update
 *       mode; {@code foreachBatch} puts each changed count's absolute value with the batch id as the cell version, so
 *       a replay rewrites the same cells and a later batch's value wins (no {@code Increment}s).
 * </ul>
 *
 * Each query reads Kafka and parses on its own. Same rate cap per partition and trigger interval as Sluice's
 * batches. Afterwards the archive, the event table and every count are compared with the workload's ground truth.
 */
final class StructuredStreamingContender implements Contender {
    /** How far event time may go back: the workload's events are in order within seconds. */
    private static final String WATERMARK_DELAY = "10 minutes";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "structured-streaming";
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception {
        Workload workload = context.workload();
        String run = "bench-ss-" + repetition;
        Query q = start(context, workload.topic(), run);
        long started;
        long finished;
        RunMeter meter;
        RunMeter.Cost cost;
        String check;
        try {
            meter = RunMeter.start(context.servers());
            started = meter.startedNanos();
            while (q.committed() < workload.events()) {
                meter.progress(q.committed());
                q.awaitAlive(50);
            }
            finished = System.nanoTime();
            cost = meter.finish(workload.events());
            q.close();
            check = PeerOutputs.check(q.archive, q.target, workload.truth());
        } finally {
            q.close();
            context.dropTables(q.target.eventTable(), q.target.resultsTable());
        }
        double seconds = (finished - started) / 1e9;
        long[] sorted;
        synchronized (q.batchMillis) {
            sorted = q.batchMillis.stream().mapToLong(Long::longValue).sorted().toArray();
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
                q.batches.get(),
                sorted.length == 0 ? 0 : sorted[sorted.length / 2],
                sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                -1,
                meter.jvm().heapPeakMb(),
                meter.jvm().gcMs(),
                check.startsWith("exact"),
                check,
                cost,
                Map.of(),
                null,
                Map.of());
    }

    /** The two running queries and what the store query's batches did. */
    static final class Query implements AutoCloseable {
        final SparkSession spark;
        final HBaseTarget target;
        final Path archive;
        final String topic;
        final AtomicLong batches = new AtomicLong();
        final List<Long> batchMillis = new ArrayList<>();
        StreamingQuery store;
        StreamingQuery counts;
        private boolean closed;

        Query(SparkSession spark, HBaseTarget target, Path archive, String topic) {
            this.spark = spark;
            this.target = target;
            this.archive = archive;
            this.topic = topic;
        }

        /** The records both queries have finished: the smaller of their committed end offsets' sums. */
        long committed() {
            return Math.min(sum(endOffsets(store, topic)), sum(endOffsets(counts, topic)));
        }

        /** Waits up to {@code ms}; throws when a query stopped. */
        void awaitAlive(long ms) throws Exception {
            for (StreamingQuery query : List.of(store, counts)) {
                if (query.awaitTermination(ms / 2)) {
                    throw new IllegalStateException(
                            "structured-streaming: the query " + query.name() + " stopped: " + query.exception());
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                for (StreamingQuery query : new StreamingQuery[] {store, counts}) {
                    if (query != null) {
                        query.stop();
                    }
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the query did not stop", e);
            } finally {
                spark.stop();
            }
        }

        private static long sum(Map<Integer, Long> offsets) {
            return offsets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The end offsets per partition of {@code query}'s last finished batch. */
    private static Map<Integer, Long> endOffsets(StreamingQuery query, String topic) {
        Map<Integer, Long> next = new TreeMap<>();
        StreamingQueryProgress progress = query == null ? null : query.lastProgress();
        if (progress == null || progress.sources().length == 0) {
            return next;
        }
        try {
            JsonNode end = JSON.readTree(progress.sources()[0].endOffset()).path(topic);
            end.fields()
                    .forEachRemaining(p ->
                            next.put(Integer.parseInt(p.getKey()), p.getValue().asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return next;
    }

    /** Starts both queries on {@code topic}, with tables and directories named after {@code run}. */
    private Query start(BenchContext context, String topic, String run) throws Exception {
        int partitions = context.workload().partitions();
        HBaseTarget hbase = HBaseTarget.forRun(context, run);
        hbase.createTables();
        Path dir = context.workDir().resolve(run);
        String archive = dir.resolve("archive").toUri().toString();
        SparkSession spark = SparkSession.builder()
                .master("local[" + context.cores() + "]")
                .appName(run)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", Integer.toString(partitions))
                .getOrCreate();
        Query q = new Query(spark, hbase, dir.resolve("archive"), topic);
        long perTrigger = context.recordsPerPartitionPerBatch() * partitions;

        VoidFunction2<Dataset<Record>, Long> store = (batch, id) -> {
            long t0 = System.nanoTime();
            batch.persist();
            Dataset<Record> valid = batch.filter(col("reason").isNull());
            valid.select(col("raw").cast("string"))
                    .write()
                    .mode(SaveMode.Overwrite)
                    .text(archive + "/events/batch=" + id);
            batch.filter(col("reason").isNotNull())
                    .select(to_json(struct(col("reason"), col("id"), base64(col("raw")))))
                    .write()
                    .mode(SaveMode.Overwrite)
                    .text(archive + "/dead-letter/batch=" + id);
            valid.foreachPartition((ForeachPartitionFunction<Record>) rows -> putEvents(hbase, rows));
            batch.unpersist();
            q.batches.incrementAndGet();
            synchronized (q.batchMillis) {
                q.batchMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        };
        q.store = deduplicated(records(spark, context, topic, perTrigger))
                .writeStream()
                .queryName(run + "-store")
                .trigger(Trigger.ProcessingTime(context.batchIntervalMs()))
                .option("checkpointLocation", dir.resolve("checkpoint-store").toString())
                .foreachBatch(store)
                .start();

        VoidFunction2<Dataset<Row>, Long> counts = (changed, id) ->
                changed.foreachPartition((ForeachPartitionFunction<Row>) rows -> putCounts(hbase, rows, id + 1));
        q.counts = deduplicated(records(spark, context, topic, perTrigger)
                        .filter(col("reason").isNull()))
                .flatMap((FlatMapFunction<Record, CountKey>) CountKey::of, Encoders.bean(CountKey.class))
                .groupBy("key", "start")
                .count()
                .writeStream()
                .queryName(run + "-counts")
                .outputMode("update")
                .trigger(Trigger.ProcessingTime(context.batchIntervalMs()))
                .option("checkpointLocation", dir.resolve("checkpoint-counts").toString())
                .foreachBatch(counts)
                .start();
        return q;
    }

    /** The topic's records parsed: valid events and dead letters (reason set). */
    private static Dataset<Record> records(SparkSession spark, BenchContext context, String topic, long perTrigger) {
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", context.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", Long.toString(perTrigger))
                .load()
                .select("value", "partition", "offset", "timestamp")
                .mapPartitions(
                        (MapPartitionsFunction<Row, Record>) rows -> new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return rows.hasNext();
                            }

                            @Override
                            public Record next() {
                                return Record.of(parser, rows.next());
                            }
                        },
                        Encoders.bean(Record.class));
    }

    /** Each {@code id} once while the watermark holds it; dead letters have ids of their own position. */
    private static Dataset<Record> deduplicated(Dataset<Record> records) {
        return records.withWatermark("time", WATERMARK_DELAY).dropDuplicatesWithinWatermark("id");
    }

    @Override
    public PacedRun startPaced(BenchContext context, String topic) throws Exception {
        Query q = start(context, topic, "bench-ss-paced");
        return new PacedRun() {
            @Override
            public Map<Integer, Long> committed() {
                Map<Integer, Long> store = endOffsets(q.store, topic);
                Map<Integer, Long> next = new TreeMap<>();
                endOffsets(q.counts, topic).forEach((p, offset) -> {
                    if (store.containsKey(p)) {
                        next.put(p, Math.min(offset, store.get(p)));
                    }
                });
                return next;
            }

            @Override
            public void close() {
                q.close();
            }
        };
    }

    /** A parsed record (a Java bean, for Spark's encoder): a valid event, or a dead letter with its reason. */
    public static final class Record implements Serializable {
        private String id;
        private Timestamp time;
        private String account;
        private String experiment;
        private String variation;
        private String type;
        private byte[] raw;
        private String reason;

        static Record of(EventParser parser, Row kafka) {
            Record r = new Record();
            r.raw = kafka.getAs(0);
            ParseOutcome outcome = parser.parse(r.raw);
            if (outcome instanceof ParseOutcome.Valid v) {
                Event e = v.event();
                r.id = e.eventId();
                r.time = new Timestamp(e.ts());
                r.account = e.accountId();
                r.experiment = e.experimentId();
                r.variation = e.variationId();
                r.type = e.type();
            } else {
                // a dead letter: an id of its own position, the record's Kafka time
                r.id = "dead-letter+" + kafka.getAs(1) + "+" + kafka.getAs(2);
                r.time = kafka.getAs(3);
                r.reason = ((ParseOutcome.Rejected) outcome).reason().code();
            }
            return r;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public Timestamp getTime() {
            return time;
        }

        public void setTime(Timestamp time) {
            this.time = time;
        }

        public String getAccount() {
            return account;
        }

        public void setAccount(String account) {
            this.account = account;
        }

        public String getExperiment() {
            return experiment;
        }

        public void setExperiment(String experiment) {
            this.experiment = experiment;
        }

        public String getVariation() {
            return variation;
        }

        public void setVariation(String variation) {
            this.variation = variation;
        }

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public byte[] getRaw() {
            return raw;
        }

        public void setRaw(byte[] raw) {
            this.raw = raw;
        }

        public String getReason() {
            return reason;
        }

        public void setReason(String reason) {
            this.reason = reason;
        }
    }

    /**
     * One count an event adds to (a Java bean): per experiment, variation, window and type ({@code key} {@code
     * C\t<account>\t<experiment>\t<variation>\t<type>}, {@code start} the window's), or per experiment and slide
     * ({@code S\t<account>\t<experiment>}, the slide's).
     */
    public static final class CountKey implements Serializable {
        private String key;
        private long start;

        static Iterator<CountKey> of(Record r) {
            long ts = r.getTime().getTime();
            String experiment = r.getAccount() + "\t" + r.getExperiment();
            return List.of(
                            key(
                                    "C\t" + experiment + "\t" + r.getVariation() + "\t" + r.getType(),
                                    Math.floorDiv(ts, WINDOW_MS) * WINDOW_MS),
                            key("S\t" + experiment, Math.floorDiv(ts, SLIDE_MS) * SLIDE_MS))
                    .iterator();
        }

        private static CountKey key(String key, long start) {
            CountKey k = new CountKey();
            k.key = key;
            k.start = start;
            return k;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public long getStart() {
            return start;
        }

        public void setStart(long start) {
            this.start = start;
        }
    }

    /** Every valid event, its event time the cell's timestamp: a replay rewrites the same cell. */
    private static void putEvents(HBaseTarget target, Iterator<Record> events) throws Exception {
        try (Connection c = ConnectionFactory.createConnection(target.configuration());
                BufferedMutator out = c.getBufferedMutator(TableName.valueOf(target.eventTable()))) {
            while (events.hasNext()) {
                Record r = events.next();
                long ts = r.getTime().getTime();
                out.mutate(new Put(EventRowKey.of(r.getId(), SALT_BUCKETS), ts).addColumn(FAMILY, RAW, ts, r.getRaw()));
            }
        }
    }

    /** The absolute value of every changed count, at version {@code version} (the batch id, plus one). */
    private static void putCounts(HBaseTarget target, Iterator<Row> rows, long version) throws Exception {
        try (Connection c = ConnectionFactory.createConnection(target.configuration());
                BufferedMutator out = c.getBufferedMutator(TableName.valueOf(target.resultsTable()))) {
            while (rows.hasNext()) {
                Row row = rows.next();
                String[] k = row.getString(0).split("\t");
                long start = row.getLong(1);
                long count = row.getLong(2);
                ExperimentKey experiment = new ExperimentKey(k[1], k[2]);
                if (k[0].equals("C")) {
                    out.mutate(new Put(ResultsLayout.countRow(start, experiment, k[3]))
                            .addColumn(ResultsLayout.COUNTS, Bytes.toBytes(k[4]), version, Bytes.toBytes(count)));
                } else {
                    out.mutate(new Put(PeerOutputs.slideRow(start, experiment))
                            .addColumn(ResultsLayout.TOP, SLIDE_COLUMN, version, Bytes.toBytes(count)));
                }
            }
        }
    }
}
