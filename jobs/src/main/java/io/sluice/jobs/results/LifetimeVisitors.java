package io.sluice.jobs.results;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/** The visitors of each variation over the experiment's lifetime, from its count rows as the table holds them. */
public final class LifetimeVisitors {
    private LifetimeVisitors() {}

    /**
     * A number of visitors: exact, or a HyperLogLog estimate with its bounds.
     *
     * @param lower the lower bound ({@code value} when exact)
     * @param upper the upper bound ({@code value} when exact)
     */
    public record Estimate(long value, long lower, long upper, boolean exact) {
        public boolean admits(long truth) {
            return exact ? truth == value : truth >= lower && truth <= upper;
        }
    }

    /**
     * Per variation: the sum of the rows' new visitors (exact counting), or the estimate of the union of the rows'
     * sketches with bounds of {@code stdDevs} (1, 2 or 3) standard deviations (about 68, 95 and 99.7 % confidence).
     */
    public static Map<Variation, Estimate> of(List<CountRow> rows, int stdDevs) {
        Map<Variation, Long> exact = new TreeMap<>();
        Map<Variation, Union> unions = new TreeMap<>();
        for (CountRow row : rows) {
            Variation v = row.key().variation();
            if (row.visitorSketch() != null) {
                HllSketch sketch = VisitorSketches.read(row.visitorSketch());
                unions.computeIfAbsent(v, k -> VisitorSketches.newUnion(sketch.getLgConfigK()))
                        .update(sketch);
            } else {
                exact.merge(v, row.newVisitors(), Long::sum);
            }
        }
        Map<Variation, Estimate> out = new TreeMap<>();
        exact.forEach((v, n) -> out.put(v, new Estimate(n, n, n, true)));
        unions.forEach((v, union) -> out.put(v, estimate(union.getResult(TgtHllType.HLL_4), stdDevs)));
        return out;
    }

    /** A sketch's estimate with its bounds of {@code stdDevs} standard deviations. */
    public static Estimate estimate(HllSketch sketch, int stdDevs) {
        return new Estimate(
                VisitorSketches.estimate(sketch),
                (long) Math.floor(sketch.getLowerBound(stdDevs)),
                (long) Math.ceil(sketch.getUpperBound(stdDevs)),
                false);
    }
}
