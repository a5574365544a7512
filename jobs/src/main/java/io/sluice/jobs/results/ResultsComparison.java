package io.sluice.jobs.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Compares the results table with a recount: every count cell equal, every top row written equal. */
public final class ResultsComparison {
    private static final int MAX_REPORTED = 20;

    private ResultsComparison() {}

    /** The differences, described; empty when the results are exact. */
    public static List<String> differences(
            ResultsSettings settings, Map<CountCell, Long> counts, Map<Long, TopRow> tops, ResultsSnapshot recount) {
        List<String> differences = new ArrayList<>();
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
