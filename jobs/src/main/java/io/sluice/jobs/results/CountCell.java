package io.sluice.jobs.results;

import io.sluice.api.event.Event;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** One counted quantity: the events of one type for one experiment variation in one count window. */
public record CountCell(long windowStart, ExperimentKey experiment, String variationId, String type)
        implements Serializable, Comparable<CountCell> {
    private static final Comparator<CountCell> ORDER = Comparator.comparing(CountCell::experiment)
            .thenComparingLong(CountCell::windowStart)
            .thenComparing(CountCell::variationId)
            .thenComparing(CountCell::type);

    public CountCell {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(variationId, "variationId");
        Objects.requireNonNull(type, "type");
    }

    /** The cell an on-time event counts in: the one rule the streaming job and the recount share. */
    public static CountCell of(ResultsSettings settings, Event event) {
        return new CountCell(
                settings.windowStart(event.ts()), ExperimentKey.of(event), event.variationId(), event.type());
    }

    @Override
    public int compareTo(CountCell other) {
        return ORDER.compare(this, other);
    }
}
