package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Map;

/** The absolute counts of one experiment variation in one count window, per event type. */
public record CountRow(long windowStart, ExperimentKey experiment, String variationId, Map<String, Long> byType)
        implements Serializable {
    public CountRow {
        byType = Map.copyOf(byType);
    }
}
