package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** One variation of one experiment, over the experiment's lifetime. */
public record Variation(ExperimentKey experiment, String variationId) implements Serializable, Comparable<Variation> {
    private static final Comparator<Variation> ORDER =
            Comparator.comparing(Variation::experiment).thenComparing(Variation::variationId);

    public Variation {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(variationId, "variationId");
    }

    @Override
    public int compareTo(Variation other) {
        return ORDER.compare(this, other);
    }
}
