package io.sluice.driver.runtime;

import io.sluice.api.SourceReplay;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.source.KafkaAuthFailures;
import io.sluice.jobs.source.KafkaLogRange;
import io.sluice.jobs.source.KafkaReplay;
import io.sluice.jobs.source.KafkaSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;

/**
 * Kafka's direct stream ({@link KafkaSource}), the source of truth: a job replays by reading the topic again, and the
 * offsets in ZooKeeper are the record, so an unreadable checkpoint (a code upgrade) resumes from them.
 */
final class KafkaStreamSource implements StreamSource {
    private final SluiceSettings settings;

    KafkaStreamSource(SluiceSettings settings) {
        this.settings = settings;
    }

    @Override
    public void create(JavaStreamingContext ssc, CommittedOffsets from) {
        JavaInputDStream<ConsumerRecord<byte[], byte[]>> events = KafkaSource.createStream(ssc, settings.kafka(), from);
        events.foreachRDD(new BatchOutput<>(new KafkaBatches(
                (CanCommitOffsets) events.inputDStream(), settings.kafka().topics())));
    }

    /**
     * Never resume from an offset the log no longer (or not yet) holds. The driver's first connection to Kafka: refused
     * credentials stop the start with one line naming the property to fix ({@link KafkaAuthFailures}).
     */
    @Override
    public void checkCommitted(CommittedOffsets committed) {
        KafkaLogRange range;
        try {
            range = KafkaLogRange.read(settings.kafka());
        } catch (RuntimeException e) {
            throw KafkaAuthFailures.explain(e, settings.kafka())
                    .map(RuntimeException.class::cast)
                    .orElse(e);
        }
        range.requireCommittedWithin(committed, "FILE");
    }

    @Override
    public SourceReplay replay(JavaSparkContext jsc, Configuration hadoop) {
        return new KafkaReplay(
                jsc,
                settings.kafka(),
                settings.pipeline().parser(),
                settings.pipeline().hbase());
    }

    @Override
    public JavaStreamingContext getOrCreate(
            Function0<JavaStreamingContext> create,
            Configuration hadoop,
            SparkConf sparkConf,
            CommittedOffsets committed,
            long newestCheckpoint) {
        return JavaStreamingContext.getOrCreate(settings.checkpointDir(), create, hadoop, true);
    }

    @Override
    public String startingPoint() {
        return "the reset policy (" + settings.kafka().resetPolicy() + ")";
    }

    @Override
    public boolean catchesUp() {
        return true;
    }
}
