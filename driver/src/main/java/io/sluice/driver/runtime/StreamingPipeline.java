package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Builds the streaming graph when there is no usable checkpoint. Every DStream is created here, inside the function
 * given to {@code getOrCreate}, so that a checkpoint restores the same graph.
 */
final class StreamingPipeline {
    private StreamingPipeline() {}

    static JavaStreamingContext create(
            JavaSparkContext sc, SluiceSettings settings, StreamSource source, CommittedOffsets from) {
        JavaStreamingContext ssc = new JavaStreamingContext(sc, Durations.milliseconds(settings.batchIntervalMs()));
        ssc.checkpoint(settings.checkpointDir());
        source.create(ssc, from);
        return ssc;
    }
}
