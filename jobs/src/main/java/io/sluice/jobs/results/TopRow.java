package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.List;

/** The top experiments of the sliding window that ends at {@code windowEnd} (exclusive), once it is final. */
public record TopRow(long windowEnd, List<RankedExperiment> ranking) implements Serializable {
    public TopRow {
        ranking = List.copyOf(ranking);
    }
}
