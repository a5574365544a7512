package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ResultsState;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Time;

/**
 * What one source does for each batch of its stream, inside the one {@link BatchOutput}: which positions the batch
 * covers, how its tasks read them, and what follows the commit. Serialized into Spark's checkpoint with the output, so
 * it holds the stream it belongs to and settings, never a client; the current run's services come from {@link
 * CurrentRun}.
 */
interface BatchSource<R> extends Serializable {
    /** What batch {@code rdd} at {@code time} must do, given the committed positions. */
    Plan plan(JavaRDD<R> rdd, Time time, CommittedOffsets committed, ResultsState results) throws Exception;

    /** Runs the batch's tasks: every job writes the batch's records with {@code writer}. */
    void write(JavaRDD<R> rdd, Time time, Plan.Write plan, PartitionWriter writer, CurrentRun run);

    /** After the batch's commit (Kafka: commitAsync, for lag tools). */
    default void committed(JavaRDD<R> rdd) {}

    /**
     * Whether a batch that failed must fail every later batch of the run (push ingestion: its positions are batch
     * times, and a later batch committed past a failed one would skip it).
     */
    boolean failureStopsRun();

    /**
     * Whether a job whose sink failed may lag and catch up later ({@link CatchUp}): the source's ranges can be read
     * again. Otherwise a job's sink failing fails the batch.
     */
    default boolean catchesUp() {
        return false;
    }

    /**
     * One catch-up step of the lagging jobs {@code group}, from their positions {@code from} ({@link CatchUp}): reads
     * what follows {@code from} again, writes it with the group's jobs alone ({@link CatchUp#writer}) and commits it
     * ({@link CatchUp#commit}).
     *
     * @return false when the group's sinks still fail
     */
    default boolean catchUp(
            CurrentRun run, JavaSparkContext jsc, long time, List<String> group, Map<TopicPartitionKey, Long> from)
            throws Exception {
        throw new UnsupportedOperationException("this source's jobs do not catch up");
    }

    /** What a batch does. */
    sealed interface Plan {
        /** Nothing new: no position moved, no clock was raised. */
        record Nothing() implements Plan {}

        /**
         * Commits {@code next} without writing anything (push: a batch without a block, or committed already).
         *
         * @param routine logged at debug level (an idle source's every batch), else at info
         */
        record PositionOnly(CommittedOffsets next, String why, boolean routine) implements Plan {}

        /**
         * Writes and commits the batch.
         *
         * @param ranges what the tasks write, by partition (Kafka: one task per range)
         * @param sources every partition of the stream, written this batch or not
         * @param clocks each written partition's event-time clock at its range's start
         * @param clock push ingestion's one clock at the batch's start
         */
        record Write(
                CommittedOffsets next,
                List<SourceRange> ranges,
                List<TopicPartitionKey> sources,
                Map<TopicPartitionKey, Long> clocks,
                long clock,
                String describe)
                implements Plan {}
    }
}
