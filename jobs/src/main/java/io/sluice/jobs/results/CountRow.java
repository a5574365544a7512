package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/** The absolute counts of one experiment variation in one count window, per event type. */
public record CountRow(long windowStart, ExperimentKey experiment, String variationId, Map<String, Long> byType)
        implements Serializable {
    public CountRow {
        byType = Map.copyOf(byType);
    }

    /** Groups cells into rows, in row order. */
    public static java.util.List<CountRow> of(Map<CountCell, Long> cells) {
        TreeMap<CountCell, Long> sorted = new TreeMap<>(cells);
        java.util.List<CountRow> rows = new java.util.ArrayList<>();
        CountCell rowStart = null;
        Map<String, Long> byType = new TreeMap<>();
        for (Map.Entry<CountCell, Long> cell : sorted.entrySet()) {
            CountCell c = cell.getKey();
            if (rowStart != null && !sameRow(rowStart, c)) {
                rows.add(new CountRow(rowStart.windowStart(), rowStart.experiment(), rowStart.variationId(), byType));
                byType = new TreeMap<>();
            }
            if (rowStart == null || !sameRow(rowStart, c)) {
                rowStart = c;
            }
            byType.put(c.type(), cell.getValue());
        }
        if (rowStart != null) {
            rows.add(new CountRow(rowStart.windowStart(), rowStart.experiment(), rowStart.variationId(), byType));
        }
        return rows;
    }

    private static boolean sameRow(CountCell a, CountCell b) {
        return a.windowStart() == b.windowStart()
                && a.experiment().equals(b.experiment())
                && a.variationId().equals(b.variationId());
    }
}
