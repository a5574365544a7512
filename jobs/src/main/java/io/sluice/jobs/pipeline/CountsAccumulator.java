package io.sluice.jobs.pipeline;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/** Named counts summed across tasks: the counters of every job ({@code job:name}) in one accumulator. */
public final class CountsAccumulator extends AccumulatorV2<Map<String, Long>, Map<String, Long>> {
    private final TreeMap<String, Long> counts = new TreeMap<>();

    public synchronized void add(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    @Override
    public synchronized boolean isZero() {
        return counts.isEmpty();
    }

    @Override
    public synchronized CountsAccumulator copy() {
        CountsAccumulator copy = new CountsAccumulator();
        copy.counts.putAll(counts);
        return copy;
    }

    @Override
    public synchronized void reset() {
        counts.clear();
    }

    @Override
    public void add(Map<String, Long> v) {
        v.forEach(this::add);
    }

    @Override
    public void merge(AccumulatorV2<Map<String, Long>, Map<String, Long>> other) {
        add(other.value());
    }

    @Override
    public synchronized Map<String, Long> value() {
        return Map.copyOf(counts);
    }

    /** The counts of {@code job}, by counter name. */
    public Map<String, Long> of(String job) {
        Map<String, Long> mine = new TreeMap<>();
        String prefix = job + ":";
        value().forEach((k, n) -> {
            if (k.startsWith(prefix)) {
                mine.put(k.substring(prefix.length()), n);
            }
        });
        return mine;
    }
}
