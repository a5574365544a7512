package io.sluice.jobs.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The rows of the windows that lie wholly in [{@code from}, {@code to}) as absolute values: the count rows of every
     * count window in it, and the top rows of every window end whose sliding window lies in it and holds an event (as
     * the streaming job writes them). What a replay of that range writes.
     */
    public ResultsUpdate within(long from, long to, ResultsSettings settings) {
        Map<List<Object>, Map<String, Long>> rows = new LinkedHashMap<>();
        new TreeMap<>(counts).forEach((cell, n) -> {
            if (cell.windowStart() >= from && cell.windowStart() + settings.windowMs() <= to) {
                rows.computeIfAbsent(
                                List.of(cell.windowStart(), cell.experiment(), cell.variationId()),
                                k -> new TreeMap<>())
                        .put(cell.type(), n);
            }
        });
        List<CountRow> countRows = new ArrayList<>();
        rows.forEach((k, byType) ->
                countRows.add(new CountRow((Long) k.get(0), (ExperimentKey) k.get(1), (String) k.get(2), byType)));
        List<TopRow> tops = new ArrayList<>();
        long slide = settings.topSlideMs();
        for (long end = Math.floorDiv(from + settings.topWindowMs() + slide - 1, slide) * slide;
                end <= to;
                end += slide) {
            if (!traffic.subMap(end - settings.topWindowMs(), true, end, false).isEmpty()) {
                tops.add(topAt(end, settings));
            }
        }
        return new ResultsUpdate(countRows, tops, EventClock.NO_TIME);
    }
}
