package io.sluice.it.support;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.ResultsReader;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.testkit.Eventually;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.server.RuntimeClasspath;
import io.sluice.testkit.verify.ArchiveContents;
import io.sluice.testkit.verify.CommittedArchives;
import io.sluice.testkit.verify.EventStoreContents;
import io.sluice.testkit.verify.Outcome;
import io.sluice.testkit.verify.OutcomeVerifier;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One end-to-end scenario against real servers: a unique application, topic, table and archive location; the
 * driver's properties; the generator; and the checks made from outside the driver (ZooKeeper offsets, Kafka end
 * offsets, HBase and archive contents).
 */
public final class PipelineScenario {
    private final String name;
    private final Map<String, String> properties = new LinkedHashMap<>();
    /** What the test's own Kafka clients add to the bootstrap servers (a secured broker's TLS and SASL settings). */
    private Map<String, Object> kafkaClient = Map.of();

    /**
     * @param name unique per test: used for the application, topic and table names
     * @param archiveRoots archive root URIs (file://, hdfs://, s3a://)
     * @param hadoopProperties Hadoop properties for reaching them (S3A endpoint and keys)
     */
    public PipelineScenario(
            String name,
            String zookeeper,
            String kafka,
            String hbaseQuorum,
            int hbasePort,
            String checkpointDir,
            List<String> archiveRoots,
            Map<String, String> hadoopProperties) {
        this.name = name;
        properties.put("sluice.app.name", name);
        properties.put("sluice.zookeeper.connect", zookeeper);
        properties.put("sluice.kafka.bootstrap-servers", kafka);
        properties.put("sluice.kafka.topics", topic());
        properties.put("sluice.kafka.group-id", "sluice-" + name);
        properties.put("sluice.kafka.max-rate-per-partition", "2000");
        properties.put("sluice.kafka.initial-rate", "4000");
        properties.put("sluice.streaming.batch-interval-ms", "1000");
        properties.put("sluice.checkpoint.dir", checkpointDir);
        properties.put("sluice.job.archive.roots", String.join(",", archiveRoots));
        properties.put("sluice.hbase.zookeeper.quorum", hbaseQuorum);
        properties.put("sluice.hbase.zookeeper.port", Integer.toString(hbasePort));
        properties.put("sluice.hbase.event-table", table());
        properties.put("sluice.hbase.salt-buckets", "4");
        // small windows, so a run of a few minutes of event time spans many of them
        properties.put("sluice.job.results.table", "results_" + name.replace('-', '_'));
        properties.put("sluice.job.results.window-ms", "10000");
        properties.put("sluice.job.results.allowed-lateness-ms", "5000");
        properties.put("sluice.job.results.top-n", "5");
        properties.put("sluice.job.results.top-window-ms", "30000");
        properties.put("sluice.job.results.top-slide-ms", "2000");
        properties.put("sluice.http.port", "0"); // several drivers on one host: each takes a free port
        properties.put("sluice.zookeeper.session-timeout-ms", "5000");
        properties.put("sluice.ha.suspended-grace-ms", "3000");
        properties.put("spark.master", "local[2]");
        properties.put("spark.ui.enabled", "false");
        properties.put("spark.sql.shuffle.partitions", "2");
        properties.put("spark.hbase.host", hbaseQuorum);
        hadoopProperties.forEach((k, v) -> properties.put("spark.hadoop." + k, v));
    }

    public String topic() {
        return "events-" + name;
    }

    public String table() {
        return "events_" + name.replace('-', '_');
    }

    public PipelineScenario set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The test's own Kafka clients (producer, end offsets) connect with these added ({@code security.protocol}...). */
    public PipelineScenario kafkaClient(Map<String, Object> clientProperties) {
        this.kafkaClient = Map.copyOf(clientProperties);
        return this;
    }

    public Map<String, String> properties() {
        return properties;
    }

    public SluiceSettings settings() {
        return SettingsLoader.load(properties, io.sluice.testkit.server.ReceiverToken.environment());
    }

    /** Writes the driver's properties file, as an operator would for spark-submit. */
    public Path writeConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".properties");
        Properties p = new Properties();
        p.putAll(properties);
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, name);
        }
        return file;
    }

    /** Sends events {@code [from, until)} of {@code generator}; returns when all are acknowledged. */
    public void produce(EventGenerator generator, long from, long until, long perSecond) throws Exception {
        try (EventProducer producer = new EventProducer(
                properties.get("sluice.kafka.bootstrap-servers"), topic(), Integer.MAX_VALUE, kafkaClient)) {
            producer.send(generator, from, until, perSecond, () -> true);
        }
    }

    /** Sends events {@code [from, until)} at {@code perSecond} on another thread; the future fails if sending does. */
    public CompletableFuture<Void> produceInBackground(
            EventGenerator generator, long from, long until, long perSecond) {
        return CompletableFuture.runAsync(() -> {
            try {
                produce(generator, from, until, perSecond);
            } catch (Exception e) {
                throw new IllegalStateException("producing to " + topic() + " failed", e);
            }
        });
    }

    /** A fresh directory for this run's config and driver logs, under {@code src/test/target/it-work}. */
    public Path workDir() throws IOException {
        Path work =
                RuntimeClasspath.home().resolve("src/test/target/it-work/" + name + "-" + System.currentTimeMillis());
        Files.createDirectories(work);
        return work;
    }

    /** Records committed so far, over all partitions. */
    public long committedRecords() throws Exception {
        return committedOffsets().asMap().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** The offsets committed in ZooKeeper, read from outside the driver. */
    public CommittedOffsets committedOffsets() throws Exception {
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(
                properties.get("sluice.zookeeper.connect"), new ExponentialBackoffRetry(100, 3))) {
            zk.start();
            return new ZooKeeperOffsetStore(zk, ZooKeeperPaths.forApplication(name)).load();
        }
    }

    /** Records not yet committed: Kafka end offsets minus ZooKeeper's committed offsets. */
    public long lag() throws Exception {
        try (TopicEnds ends = topicEnds()) {
            return committedOffsets().lag(ends.endOffsets());
        }
    }

    public Map<io.sluice.checkpoint.TopicPartitionKey, Long> endOffsets() {
        try (TopicEnds ends = topicEnds()) {
            return ends.endOffsets();
        }
    }

    private TopicEnds topicEnds() {
        Map<String, Object> params = new java.util.HashMap<>(kafkaClient);
        params.put("bootstrap.servers", properties.get("sluice.kafka.bootstrap-servers"));
        params.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        params.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return new TopicEnds(params, List.of(topic()), Duration.ofSeconds(60));
    }

    /**
     * Runs a driver in this JVM until every produced record is committed, then stops it gracefully; returns it (its
     * metrics stay readable).
     */
    public DriverRuntime runUntilCommitted(Duration deadline) throws Exception {
        DriverRuntime driver = new DriverRuntime(settings(), new SparkConf());
        try {
            driver.start();
            awaitFullyCommitted(deadline);
        } finally {
            driver.stop(true);
        }
        return driver;
    }

    /** Waits until every produced record is committed, by every job (none lags). */
    public void awaitFullyCommitted(Duration deadline) {
        Eventually.eventually(
                deadline,
                () -> lag() == 0 && committedOffsets().lagging().isEmpty(),
                "all records of " + topic() + " committed by every job");
    }

    /**
     * Every archive root, read after rolling the last committed stage forward as a driver's start would (see
     * {@link CommittedArchives}).
     */
    public List<ArchiveContents> readArchives() throws IOException {
        return CommittedArchives.read(settings()).archives();
    }

    public EventStoreContents readEventStore() throws IOException {
        SluiceSettings settings = settings();
        try (Connection c =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            return EventStoreContents.read(c, table());
        }
    }

    /** The watermark the results table holds ({@code EventClock.NO_TIME} before the first). */
    public long resultsWatermark() throws IOException {
        SluiceSettings settings = settings();
        try (Connection c =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            return new ResultsReader(c, settings.pipeline().results().table()).watermark();
        }
    }

    /** The event store's ids and versions, for failure messages. */
    public Map<String, Integer> readEventStoreQuietly() {
        try {
            return readEventStore().versionsByEventId();
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** What {@code count} events of {@code generator} must produce, lateness included, on this topic. */
    public GroundTruth groundTruth(EventGenerator generator, long count) {
        ResultsSettings results = settings().pipeline().results();
        return GroundTruth.of(
                generator,
                count,
                endOffsets().size(),
                results.enabled() ? results.allowedLatenessMs() : -1,
                results.maxFutureMs(),
                results.reviseWithinMs());
    }

    /** Recounts the first archive root with a local Spark job and compares it with the results table. */
    public ResultsCheck.Report checkResults() throws IOException {
        SluiceSettings settings = settings();
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("recount-" + name)
                .set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            return ResultsCheck.run(
                    settings, sc, settings.pipeline().archiveRoots().get(0));
        }
    }

    /** Compares the results table with what the generator's on-time events must give; returns the differences. */
    public List<String> resultsAgainst(GroundTruth truth) throws IOException {
        SluiceSettings settings = settings();
        return ResultsCheck.against(settings, truth.results(settings.pipeline().results()));
    }

    public Outcome verify(GroundTruth truth) throws IOException {
        return OutcomeVerifier.verify(truth, readEventStore(), readArchives());
    }
}
