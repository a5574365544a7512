package io.sluice.driver.runtime;

import io.sluice.api.SourceReplay;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Where a run's events come from ({@code sluice.source}): the input stream with its one {@link BatchOutput}, and what
 * a start needs of the source. Two implementations: Kafka's direct stream ({@link KafkaStreamSource}) and the HTTP
 * receivers ({@link PushStreamSource}).
 */
interface StreamSource {
    /** The source {@code settings} name; the one place the two are told apart. */
    static StreamSource of(SluiceSettings settings) {
        return settings.httpSource() != null ? new PushStreamSource(settings) : new KafkaStreamSource(settings);
    }

    /** Builds the input stream and attaches the batch output, inside the function given to {@code getOrCreate}. */
    void create(JavaStreamingContext ssc, CommittedOffsets from);

    /** Refuses to start from committed positions the source can no longer (or not yet) serve. */
    default void checkCommitted(CommittedOffsets committed) {}

    /** How a job re-reads what the source committed, for a job that rebuilds state at start. */
    SourceReplay replay(JavaSparkContext jsc, Configuration hadoop) throws IOException;

    /**
     * The streaming context: restored from the checkpoint, or created with {@code create}.
     *
     * @param sparkConf the run's Spark configuration (its streaming clock)
     * @param newestCheckpoint the time of the newest checkpoint file, or {@code Long.MIN_VALUE} for none
     */
    JavaStreamingContext getOrCreate(
            Function0<JavaStreamingContext> create,
            Configuration hadoop,
            SparkConf sparkConf,
            CommittedOffsets committed,
            long newestCheckpoint)
            throws Exception;

    /** Whether its jobs may lag and catch up ({@link BatchSource#catchesUp}). */
    default boolean catchesUp() {
        return false;
    }

    /**
     * How far lagging {@code job} is behind the committed positions, as gauges ({@code sluice_job_<name>{job}}): Kafka's
     * in records ({@code lag_records}).
     */
    default Map<String, Long> lag(CommittedOffsets committed, String job) {
        return Map.of("lag_records", committed.lagOf(job));
    }

    /** Where the stream starts without a committed position, for the start's log line. */
    String startingPoint();
}
