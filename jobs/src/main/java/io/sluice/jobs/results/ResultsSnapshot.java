package io.sluice.jobs.results;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Results recomputed from scratch (by {@link ResultsRecount}): every count cell, the users of every count row, and
 * events per slide bucket and experiment, from which the top row of any window end follows ({@link #topAt}); where
 * known (a generator's ground truth), the late events per count row: its revision.
 */
public record ResultsSnapshot(
        Map<CountCell, Long> counts,
        Map<VariationWindow, Set<String>> visitors,
        NavigableMap<Long, Map<ExperimentKey, Long>> traffic,
        Map<VariationWindow, Long> revisions) {
    public ResultsSnapshot {
        counts = Map.copyOf(counts);
        visitors = Map.copyOf(visitors);
        traffic = new TreeMap<>(traffic);
        revisions = revisions == null ? null : Map.copyOf(revisions);
    }

    /** A snapshot that does not know which events were late (a recount of an archive): revisions are not compared. */
    public ResultsSnapshot(
            Map<CountCell, Long> counts,
            Map<VariationWindow, Set<String>> visitors,
            NavigableMap<Long, Map<ExperimentKey, Long>> traffic) {
        this(counts, visitors, traffic, null);
    }

    /** The distinct users of each variation over all windows: its visitors over the experiment's lifetime. */
    public Map<Variation, Long> lifetimeVisitors() {
        Map<Variation, Set<String>> users = new TreeMap<>();
        visitors.forEach((row, u) ->
                users.computeIfAbsent(row.variation(), v -> new HashSet<>()).addAll(u));
        Map<Variation, Long> counted = new TreeMap<>();
        users.forEach((v, u) -> counted.put(v, (long) u.size()));
        return counted;
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
     * the streaming job writes them). What a replay of that range writes. The new visitors of each row are the users
     * whose lifetime claim, made now where missing, names the row.
     */
    public ResultsUpdate within(long from, long to, ResultsSettings settings, VisitorClaims claims) throws IOException {
        Map<VariationWindow, Map<String, Long>> rows = new TreeMap<>();
        counts.forEach((cell, n) -> {
            if (cell.windowStart() >= from && cell.windowStart() + settings.windowMs() <= to) {
                rows.computeIfAbsent(VariationWindow.of(cell), k -> new TreeMap<>())
                        .put(cell.type(), n);
            }
        });
        Map<Visitor, Long> wanted = new HashMap<>();
        rows.keySet().forEach(row -> {
            visitors.getOrDefault(row, Set.of())
                    .forEach(user -> wanted.merge(new Visitor(row.variation(), user), row.windowStart(), Math::min));
        });
        Map<Visitor, Long> claimed =
                wanted.isEmpty() || settings.visitors() != VisitorCounting.EXACT ? Map.of() : claims.claim(wanted);
        List<CountRow> countRows = new ArrayList<>();
        rows.forEach((row, byType) -> {
            Set<String> users = visitors.getOrDefault(row, Set.of());
            long revision = revisions == null ? 0 : revisions.getOrDefault(row, 0L);
            switch (settings.visitors()) {
                case EXACT -> countRows.add(new CountRow(
                        row.windowStart(),
                        row.experiment(),
                        row.variationId(),
                        byType,
                        users.size(),
                        users.stream()
                                .filter(u -> claimed.get(new Visitor(row.variation(), u)) == row.windowStart())
                                .count(),
                        null,
                        revision));
                case HLL -> {
                    HllSketch sketch = VisitorSketches.newSketch(settings.hllLgK());
                    users.forEach(sketch::update);
                    Union union = VisitorSketches.newUnion(settings.hllLgK());
                    union.update(sketch); // as the streaming job writes it: the result of a union
                    HllSketch result = union.getResult(TgtHllType.HLL_4);
                    countRows.add(new CountRow(
                            row.windowStart(),
                            row.experiment(),
                            row.variationId(),
                            byType,
                            VisitorSketches.estimate(result),
                            0,
                            result.toCompactByteArray(),
                            revision));
                }
                case OFF -> countRows.add(new CountRow(
                        row.windowStart(), row.experiment(), row.variationId(), byType, 0, 0, null, revision));
            }
        });
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
