package io.sluice.jobs.results.stats;

import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.LifetimeVisitors;
import io.sluice.jobs.results.Variation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of one experiment, from its count rows (pure; README "Results page and API" defines them): per
 * variation its events, unique visitors (over the experiment's lifetime: the sum of the windows' new visitors, or
 * the union of their sketches), conversion rate with a 95 % Wilson interval, overall and per window; and the
 * sample ratio mismatch check of the visitors against the planned split.
 *
 * @param variations by variation id
 */
public record ExperimentStats(ExperimentKey experiment, List<VariationStats> variations, SampleRatioCheck srm) {
    public ExperimentStats {
        variations = List.copyOf(variations);
    }

    /**
     * @param rows the count rows of {@code experiment} (any order; rows of other experiments are refused)
     * @throws IllegalArgumentException for a row of another experiment
     */
    public static ExperimentStats of(ExperimentKey experiment, List<CountRow> rows, StatsSettings settings) {
        Map<String, List<CountRow>> byVariation = new TreeMap<>();
        for (CountRow row : rows) {
            if (!row.experiment().equals(experiment)) {
                throw new IllegalArgumentException("a row of " + row.experiment() + " among those of " + experiment);
            }
            byVariation
                    .computeIfAbsent(row.variationId(), v -> new ArrayList<>())
                    .add(row);
        }
        List<VariationStats> variations = new ArrayList<>();
        Map<String, Long> visitors = new TreeMap<>();
        Map<Variation, LifetimeVisitors.Estimate> lifetime = LifetimeVisitors.of(rows, 2);
        byVariation.forEach((variation, its) -> {
            LifetimeVisitors.Estimate unique = lifetime.get(new Variation(experiment, variation));
            VariationStats stats = variation(variation, its, unique == null ? 0 : unique.value(), settings);
            variations.add(stats);
            visitors.put(variation, stats.visitors());
        });
        return new ExperimentStats(
                experiment,
                variations,
                SampleRatioCheck.of(visitors, settings.split(experiment), settings.srmThreshold()));
    }

    /** @param visitors the variation's lifetime unique visitors ({@link LifetimeVisitors}: exact, or a sketch's) */
    private static VariationStats variation(
            String variation, List<CountRow> rows, long visitors, StatsSettings settings) {
        List<CountRow> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingLong(CountRow::windowStart));
        Map<String, Long> events = new TreeMap<>();
        List<WindowStats> windows = new ArrayList<>();
        for (CountRow row : sorted) {
            row.byType().forEach((type, n) -> events.merge(type, n, Long::sum));
            windows.add(new WindowStats(
                    row.windowStart(),
                    new TreeMap<>(row.byType()),
                    row.visitors(),
                    row.newVisitors(),
                    rate(row.byType(), row.visitors(), settings),
                    row.revision()));
        }
        long total = events.values().stream().mapToLong(Long::longValue).sum();
        return new VariationStats(variation, events, total, visitors, rate(events, visitors, settings), windows);
    }

    private static ConversionRate rate(Map<String, Long> events, long visitors, StatsSettings settings) {
        return ConversionRate.of(
                events.getOrDefault(settings.conversionType(), 0L),
                visitors,
                events.getOrDefault(settings.fallbackType(), 0L));
    }

    /** Events by type over every variation. */
    public Map<String, Long> events() {
        Map<String, Long> events = new TreeMap<>();
        variations.forEach(v -> v.events().forEach((type, n) -> events.merge(type, n, Long::sum)));
        return events;
    }

    /** The visitors of every variation, added up (a user seen in two variations counts in each). */
    public long visitors() {
        return variations.stream().mapToLong(VariationStats::visitors).sum();
    }
}
