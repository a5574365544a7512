package io.sluice.bench.flink;

import io.sluice.bench.flink.HBaseSink.HBaseTable;
import io.sluice.bench.flink.WindowCounts.Count;
import io.sluice.bench.flink.WindowCounts.EmitSlide;
import io.sluice.bench.flink.WindowCounts.EmitVariation;
import io.sluice.bench.flink.WindowCounts.Slide;
import io.sluice.bench.flink.WindowCounts.SlideKey;
import io.sluice.bench.flink.WindowCounts.Variation;
import io.sluice.bench.flink.WindowCounts.VariationKey;
import io.sluice.jobs.sink.hbase.EventRowKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.ContinuousEventTimeTrigger;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's Flink contender: what a user would write from Flink's documentation to get what Sluice promises,
 * each output exactly once, with the same outputs as the Structured Streaming peer. It runs in a process of its own
 * (Flink and Spark cannot share a JVM) on a local MiniCluster, with exactly-once checkpoints every {@code
 * --checkpoint-interval-ms}:
 *
 * <ul>
 *   <li>a Kafka source from the earliest offsets, bounded at the latest offsets at start, that parses each record
 *       with the project's parser, keeps per-partition watermarks (bounded out-of-orderness) and commits its offsets
 *       to {@code --group} on each completed checkpoint (the benchmark reads progress from them);
 *   <li>each {@code event_id} once ({@link FirstOfEachId}); dead letters go aside ({@link DeadLetterRouter});
 *   <li>the archive through {@link FileSink}s, whose part files become visible only with a completed checkpoint
 *       (two-phase commit): valid events' bytes as JSON lines under {@code <archive>/events/}, dead letters under
 *       {@code <archive>/dead-letter/};
 *   <li>every valid event into the event table ({@link HBaseSink}), its event time the cell timestamp;
 *   <li>event-time windowed counts ({@link WindowCounts}): per experiment, variation and type over 60-s windows,
 *       updated every 2 s of event time while a window is open, and per experiment over 2-s slides, each written as
 *       an absolute value with the count as the cell version.
 * </ul>
 *
 * The job ends when every partition reached its end offset at start; the last (final) checkpoint publishes the last
 * part files. Prints {@code flink-peer: started <epoch ms>} once the MiniCluster runs and has accepted the job, and
 * {@code flink-peer: finished <epoch ms> <records read>} once the job completed; then waits for its standard input to
 * close (so that the benchmark can read its CPU time; start it with {@code </dev/null} to exit at once) and exits 0.
 * Exits 1 with the exception when the job failed.
 */
@Command(
        name = "flink-peer",
        mixinStandardHelpOptions = true,
        description = "The benchmark's Flink contender: reads the topic up to its end offsets at start, then exits.")
public final class FlinkPeer implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkPeer.class);

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration SLIDE = Duration.ofSeconds(2);
    /** How far event time may go back within a partition: the workload's events are in order within milliseconds. */
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    /** A partition without records this long stops holding the watermark back (the clock pauses under backpressure). */
    private static final Duration IDLENESS = Duration.ofSeconds(30);
    /** How long an id is remembered, in event time: the Structured Streaming peer's watermark delay. */
    private static final Duration DUPLICATE_HORIZON = Duration.ofMinutes(10);

    private static final byte[] FAMILY = Bytes.toBytes("e");
    private static final byte[] RAW = Bytes.toBytes("raw");
    private static final int SALT_BUCKETS = 8;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka's bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, description = "The topic to read.")
    String topic;

    @Option(names = "--group", required = true, description = "The consumer group the offsets are committed to.")
    String group;

    @Option(names = "--hbase-quorum", required = true, description = "HBase's ZooKeeper quorum.")
    String hbaseQuorum;

    @Option(names = "--hbase-port", required = true, description = "HBase's ZooKeeper client port.")
    int hbasePort;

    @Option(names = "--event-table", required = true, description = "The event table (it must exist).")
    String eventTable;

    @Option(names = "--results-table", required = true, description = "The results table (it must exist).")
    String resultsTable;

    @Option(names = "--archive", required = true, description = "The archive's local directory.")
    Path archive;

    @Option(names = "--checkpoint-dir", required = true, description = "Where checkpoints go (a local directory).")
    Path checkpointDir;

    @Option(names = "--parallelism", description = "Parallelism of every operator. Default ${DEFAULT-VALUE}.")
    int parallelism = 2;

    @Option(
            names = "--checkpoint-interval-ms",
            description = "Interval of the exactly-once checkpoints. Default ${DEFAULT-VALUE}.")
    long checkpointIntervalMs = 2000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlinkPeer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = environment();
        define(env);
        LOG.info(
                "reading {} at {} (group {}), parallelism {}, checkpoints every {} ms in {}",
                topic,
                bootstrapServers,
                group,
                parallelism,
                checkpointIntervalMs,
                checkpointDir);
        // started once the MiniCluster runs and has the job: its start-up is not timed, as a SparkContext's is not
        env.registerJobListener(new JobListener() {
            @Override
            public void onJobSubmitted(JobClient client, Throwable failure) {
                if (failure == null) {
                    System.out.println("flink-peer: started " + System.currentTimeMillis());
                }
            }

            @Override
            public void onJobExecuted(JobExecutionResult result, Throwable failure) {}
        });
        JobExecutionResult result = env.execute("flink-peer " + topic);
        long records = result.<Long>getAccumulatorResult(DeadLetterRouter.RECORDS);
        System.out.println("flink-peer: finished " + System.currentTimeMillis() + " " + records);
        awaitEndOfStdin();
        return 0;
    }

    /** Waits until standard input reaches its end: the benchmark reads this process's CPU time first. */
    private static void awaitEndOfStdin() throws java.io.IOException {
        while (System.in.read() >= 0) {
            // the benchmark writes nothing: wait for end-of-file
        }
    }

    /**
     * A local MiniCluster with exactly-once checkpoints in {@code --checkpoint-dir}; a failed task restarts from the
     * last checkpoint up to three times, then the job fails (rather than retrying forever, as the default would).
     */
    private StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpointDir.toAbsolutePath().toUri().toString());
        // every type is a POJO or a record: no Kryo; no function keeps or changes a record it was given
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.enableCheckpointing(checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    private void define(StreamExecutionEnvironment env) {
        KafkaSource<Parsed> source = KafkaSource.<Parsed>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new ParsingDeserializer())
                .build();
        WatermarkStrategy<Parsed> watermarks = WatermarkStrategy.<Parsed>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((record, kafkaTime) -> record.time())
                .withIdleness(IDLENESS);
        SingleOutputStreamOperator<Parsed> valid = env.fromSource(source, watermarks, "kafka")
                .process(new DeadLetterRouter())
                .name("dead letters aside");
        DataStream<Parsed> unique = valid.keyBy(Parsed::id)
                .process(new FirstOfEachId(DUPLICATE_HORIZON))
                .name("each id once");

        unique.map(Parsed::raw)
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("raw")
                .sinkTo(archive(archive.resolve("events")))
                .name("archive: events");
        valid.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .sinkTo(archive(archive.resolve("dead-letter")))
                .name("archive: dead letters");

        unique.sinkTo(new HBaseSink<>(new HBaseTable(hbaseQuorum, hbasePort, eventTable), FlinkPeer::eventPut))
                .name("event table");

        HBaseTable results = new HBaseTable(hbaseQuorum, hbasePort, resultsTable);
        // the counts need each event's key and time only: the shuffles carry the keys, not the events
        unique.map(VariationKey::of)
                .name("variation")
                .keyBy(key -> key)
                .window(TumblingEventTimeWindows.of(WINDOW))
                .trigger(ContinuousEventTimeTrigger.of(SLIDE))
                .aggregate(new Count<>(), new EmitVariation())
                .name("counts")
                .sinkTo(new HBaseSink<>(results, Variation::toPut))
                .name("results: counts");
        unique.map(SlideKey::of)
                .name("experiment")
                .keyBy(key -> key)
                .window(TumblingEventTimeWindows.of(SLIDE))
                .aggregate(new Count<>(), new EmitSlide())
                .name("slide counts")
                .sinkTo(new HBaseSink<>(results, Slide::toPut))
                .name("results: slides");
    }

    /** JSON lines under {@code dir}, in part files published by each completed checkpoint (and the final one). */
    private static FileSink<byte[]> archive(Path dir) {
        return FileSink.forRowFormat(
                        new org.apache.flink.core.fs.Path(dir.toAbsolutePath().toUri()), new LineEncoder())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
    }

    /** A valid event as the Structured Streaming peer stores it: its event time the row's and the cell's timestamp. */
    private static Put eventPut(Parsed event) {
        return new Put(EventRowKey.of(event.id(), SALT_BUCKETS), event.time())
                .addColumn(FAMILY, RAW, event.time(), event.raw());
    }
}
