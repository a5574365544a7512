package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.wal.HttpEventReceiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;

/**
 * Builds the streaming graph when there is no usable checkpoint. Every DStream is created here, inside the function
 * given to {@code getOrCreate}, so that a checkpoint restores the same graph.
 */
final class StreamingPipeline {
    private StreamingPipeline() {}

    static JavaStreamingContext create(JavaSparkContext sc, SluiceSettings settings, CommittedOffsets from) {
        JavaStreamingContext ssc = new JavaStreamingContext(sc, Durations.milliseconds(settings.batchIntervalMs()));
        ssc.checkpoint(settings.checkpointDir());
        if (settings.httpSource() != null) {
            JavaDStream<byte[]> received = null;
            for (int i = 0; i < settings.httpSource().receivers(); i++) {
                JavaDStream<byte[]> one = ssc.receiverStream(
                        new HttpEventReceiver(settings.httpSource().receiver()));
                received = received == null ? one : received.union(one);
            }
            received.foreachRDD(new ReceiverBatchOutput(received.dstream()));
            return ssc;
        }
        JavaInputDStream<ConsumerRecord<byte[], byte[]>> events = KafkaSource.createStream(ssc, settings.kafka(), from);
        events.foreachRDD(new BatchOutput((CanCommitOffsets) events.inputDStream()));
        return ssc;
    }
}
