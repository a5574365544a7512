package io.sluice.bench.flink;

import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The counts the Structured Streaming peer writes, and their HBase cells: per experiment, variation, type and 60-s
 * window ({@link Variation}), and per experiment and 2-s slide, the top experiments' input ({@link Slide}). Every
 * firing writes the count's absolute value with the count itself as the cell version: counts only grow, so a replay
 * rewrites a cell it wrote before and the newest version is the largest count (no {@code Increment}s).
 */
public final class WindowCounts {
    private static final byte[] SLIDE_ROW_PREFIX = Bytes.toBytes("S");
    private static final byte[] SLIDE_COLUMN = Bytes.toBytes("events");

    private WindowCounts() {}

    /** What a count per experiment, variation, type and window is keyed by. */
    public record VariationKey(String account, String experiment, String variation, String type) {
        static VariationKey of(Parsed event) {
            return new VariationKey(event.account(), event.experiment(), event.variation(), event.type());
        }
    }

    /** A count per experiment, variation, type and window ({@code start} the window's). */
    public record Variation(VariationKey key, long start, long count) {
        Put toPut() {
            byte[] row =
                    ResultsLayout.countRow(start, new ExperimentKey(key.account(), key.experiment()), key.variation());
            return new Put(row).addColumn(ResultsLayout.COUNTS, Bytes.toBytes(key.type()), count, Bytes.toBytes(count));
        }
    }

    /** What a count per experiment and slide is keyed by. */
    public record SlideKey(String account, String experiment) {
        static SlideKey of(Parsed event) {
            return new SlideKey(event.account(), event.experiment());
        }
    }

    /** A count per experiment and slide ({@code start} the slide's). */
    public record Slide(SlideKey key, long start, long count) {
        Put toPut() {
            byte[] row = Bytes.add(
                    SLIDE_ROW_PREFIX,
                    Bytes.toBytes(start),
                    ResultsLayout.experimentPrefix(new ExperimentKey(key.account(), key.experiment())));
            return new Put(row).addColumn(ResultsLayout.TOP, SLIDE_COLUMN, count, Bytes.toBytes(count));
        }
    }

    /** Counts the elements of a window. */
    static final class Count<T> implements AggregateFunction<T, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(T element, Long count) {
            return count + 1;
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** A window's count with its key and start, as a {@link Variation}. */
    static final class EmitVariation extends ProcessWindowFunction<Long, Variation, VariationKey, TimeWindow> {
        @Override
        public void process(VariationKey key, Context context, Iterable<Long> counts, Collector<Variation> out) {
            out.collect(new Variation(
                    key, context.window().getStart(), counts.iterator().next()));
        }
    }

    /** A window's count with its key and start, as a {@link Slide}. */
    static final class EmitSlide extends ProcessWindowFunction<Long, Slide, SlideKey, TimeWindow> {
        @Override
        public void process(SlideKey key, Context context, Iterable<Long> counts, Collector<Slide> out) {
            out.collect(new Slide(
                    key, context.window().getStart(), counts.iterator().next()));
        }
    }
}
