package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Map;

/**
 * The absolute counts of one experiment variation in one count window: events per type, and its visitors.
 *
 * @param visitors the distinct users with an event in this window (an estimate when counted by sketch)
 * @param newVisitors with exact counting, the visitors of this window counted in no other window of the variation:
 *     the sum over all windows is the variation's visitors over the experiment's lifetime; 0 when counted by sketch
 * @param visitorSketch the HyperLogLog sketch of the visitors when counted by sketch (compact HLL_4 bytes), else null
 * @param revision the late events counted in this row, each a revision of the window (0: never revised)
 */
public record CountRow(
        long windowStart,
        ExperimentKey experiment,
        String variationId,
        Map<String, Long> byType,
        long visitors,
        long newVisitors,
        byte[] visitorSketch,
        long revision)
        implements Serializable {
    public CountRow {
        byType = Map.copyOf(byType);
    }

    /** A row with exact visitors. */
    public CountRow(
            long windowStart,
            ExperimentKey experiment,
            String variationId,
            Map<String, Long> byType,
            long visitors,
            long newVisitors) {
        this(windowStart, experiment, variationId, byType, visitors, newVisitors, null, 0);
    }

    /** A row of event counts only (no visitors counted). */
    public CountRow(long windowStart, ExperimentKey experiment, String variationId, Map<String, Long> byType) {
        this(windowStart, experiment, variationId, byType, 0, 0);
    }

    public VariationWindow key() {
        return new VariationWindow(windowStart, experiment, variationId);
    }

    /** Equal when every field is, the sketch's bytes included. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CountRow r
                && windowStart == r.windowStart
                && visitors == r.visitors
                && newVisitors == r.newVisitors
                && revision == r.revision
                && experiment.equals(r.experiment)
                && variationId.equals(r.variationId)
                && byType.equals(r.byType)
                && java.util.Arrays.equals(visitorSketch, r.visitorSketch);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(windowStart, experiment, variationId, byType, visitors, newVisitors, revision)
                + java.util.Arrays.hashCode(visitorSketch);
    }

    @Override
    public String toString() {
        return "CountRow[" + windowStart + ", " + experiment + ", " + variationId + ", " + byType + ", visitors "
                + visitors + ", new " + newVisitors + (visitorSketch == null ? "" : ", sketch")
                + (revision == 0 ? "" : ", revision " + revision) + "]";
    }
}
