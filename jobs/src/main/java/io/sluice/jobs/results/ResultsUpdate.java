package io.sluice.jobs.results;

import java.util.List;

/**
 * What one batch changes in the results table, all as absolute values: every count row the batch touched, the top
 * rows of the windows that became final, and the watermark.
 */
public record ResultsUpdate(List<CountRow> counts, List<TopRow> tops, long watermark) {
    public ResultsUpdate {
        counts = List.copyOf(counts);
        tops = List.copyOf(tops);
    }

    public boolean isEmpty() {
        return counts.isEmpty() && tops.isEmpty();
    }
}
