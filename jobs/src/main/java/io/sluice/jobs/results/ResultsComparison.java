package io.sluice.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the results table with a recount: every count cell equal, every row's visitors and every variation's
 * lifetime visitors (the sum of its rows' new visitors) equal, or within three standard deviations of a sketch's
 * estimate, every top row written equal.
 */
public final class ResultsComparison {
    private static final int MAX_REPORTED = 20;
    /** Sketched visitors must lie within this many standard deviations of the truth (99.7 % confidence). */
    private static final int STD_DEVS = 3;

    private ResultsComparison() {}

    /** The differences, described; empty when the results are exact. */
    public static List<String> differences(
            ResultsSettings settings, List<CountRow> rows, Map<Long, TopRow> tops, ResultsSnapshot recount) {
        List<String> differences = new ArrayList<>();
        Map<CountCell, Long> counts = new TreeMap<>();
        boolean counted = settings.visitors() != VisitorCounting.OFF;
        for (CountRow row : rows) {
            row.byType()
                    .forEach((type, n) ->
                            counts.put(new CountCell(row.windowStart(), row.experiment(), row.variationId(), type), n));
            long expected = recount.visitors().getOrDefault(row.key(), Set.of()).size();
            LifetimeVisitors.Estimate stored = row.visitorSketch() == null
                    ? new LifetimeVisitors.Estimate(row.visitors(), row.visitors(), row.visitors(), true)
                    : LifetimeVisitors.estimate(VisitorSketches.read(row.visitorSketch()), STD_DEVS);
            if (counted && !stored.admits(expected)) {
                differences.add(row.key() + ": results table " + stored + " visitors, recount " + expected);
            }
            long revision = recount.revisions() == null
                    ? row.revision()
                    : recount.revisions().getOrDefault(row.key(), 0L);
            if (row.revision() != revision) {
                differences.add(row.key() + ": results table revision " + row.revision() + ", expected " + revision);
            }
        }
        Map<Variation, LifetimeVisitors.Estimate> lifetime = LifetimeVisitors.of(rows, STD_DEVS);
        Map<Variation, Long> expectedLifetime = recount.lifetimeVisitors();
        TreeSet<Variation> variations = new TreeSet<>(lifetime.keySet());
        variations.addAll(expectedLifetime.keySet());
        for (Variation v : variations) {
            LifetimeVisitors.Estimate stored = lifetime.get(v);
            long expected = expectedLifetime.getOrDefault(v, 0L);
            if (counted && (stored == null || !stored.admits(expected))) {
                differences.add(v + ": results table " + stored + " lifetime visitors, recount " + expected);
            }
        }
        TreeSet<CountCell> cells = new TreeSet<>(counts.keySet());
        cells.addAll(recount.counts().keySet());
        for (CountCell cell : cells) {
            Long stored = counts.get(cell);
            Long expected = recount.counts().get(cell);
            if (!Objects.equals(stored, expected)) {
                differences.add(cell + ": results table " + stored + ", recount " + expected);
            }
        }
        for (TopRow top : tops.values()) {
            TopRow expected = recount.topAt(top.windowEnd(), settings);
            if (!expected.equals(top)) {
                differences.add("top row " + top.windowEnd() + ": results table " + top.ranking() + ", recount "
                        + expected.ranking());
            }
        }
        if (differences.size() > MAX_REPORTED) {
            List<String> shown = new ArrayList<>(differences.subList(0, MAX_REPORTED));
            shown.add("... and " + (differences.size() - MAX_REPORTED) + " more differences");
            return List.copyOf(shown);
        }
        return List.copyOf(differences);
    }
}
