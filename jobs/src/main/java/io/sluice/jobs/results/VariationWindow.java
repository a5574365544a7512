package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** One count row: a variation of an experiment in one count window. Ordered as the results table orders its rows. */
public record VariationWindow(long windowStart, ExperimentKey experiment, String variationId)
        implements Serializable, Comparable<VariationWindow> {
    private static final Comparator<VariationWindow> ORDER = Comparator.comparing(VariationWindow::experiment)
            .thenComparingLong(VariationWindow::windowStart)
            .thenComparing(VariationWindow::variationId);

    public VariationWindow {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(variationId, "variationId");
    }

    public static VariationWindow of(CountCell cell) {
        return new VariationWindow(cell.windowStart(), cell.experiment(), cell.variationId());
    }

    public Variation variation() {
        return new Variation(experiment, variationId);
    }

    @Override
    public int compareTo(VariationWindow other) {
        return ORDER.compare(this, other);
    }
}
