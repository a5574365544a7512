package io.sluice.jobs.results;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Results recomputed from scratch (by {@link ResultsRecount}): every count cell, and events per slide bucket and
 * experiment, from which the top row of any window end follows ({@link #topAt}).
 */
public record ResultsSnapshot(Map<CountCell, Long> counts, NavigableMap<Long, Map<ExperimentKey, Long>> traffic) {
    public ResultsSnapshot {
        counts = Map.copyOf(counts);
        traffic = new TreeMap<>(traffic);
    }

    public TopRow topAt(long windowEnd, ResultsSettings settings) {
        return new TopRow(windowEnd, TopExperiments.at(traffic, windowEnd, settings.topWindowMs(), settings.topN()));
    }

    /** The number of events counted. */
    public long events() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
