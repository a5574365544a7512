package io.sluice.jobs.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The top-experiments function, shared by the streaming job and the recount so both rank the same way: most events
 * first, ties broken by account and experiment id.
 */
public final class TopExperiments {
    private static final Comparator<RankedExperiment> ORDER =
            Comparator.comparingLong(RankedExperiment::events).reversed().thenComparing(RankedExperiment::experiment);

    private TopExperiments() {}

    /** The {@code n} experiments with the most events in the window {@code [end - windowMs, end)}. */
    public static List<RankedExperiment> at(
            NavigableMap<Long, ? extends Map<ExperimentKey, Long>> trafficByBucket, long end, long windowMs, int n) {
        Map<ExperimentKey, Long> sums = new java.util.HashMap<>();
        for (Map<ExperimentKey, Long> bucket :
                trafficByBucket.subMap(end - windowMs, true, end, false).values()) {
            bucket.forEach((experiment, events) -> sums.merge(experiment, events, Long::sum));
        }
        List<RankedExperiment> ranked = new ArrayList<>(sums.size());
        sums.forEach((experiment, events) -> ranked.add(new RankedExperiment(experiment, events)));
        ranked.sort(ORDER);
        return List.copyOf(ranked.subList(0, Math.min(n, ranked.size())));
    }
}
