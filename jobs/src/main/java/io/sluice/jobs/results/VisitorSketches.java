package io.sluice.jobs.results;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The HyperLogLog side of {@link VisitorCounting#HLL}: sketches travel and are stored as compact HLL_4 bytes, and are
 * merged by union; the number written ({@link #estimate}) depends only on the registers, so any order of merging, and a
 * replay, gives the same number.
 */
public final class VisitorSketches {
    private VisitorSketches() {}

    public static HllSketch newSketch(int lgK) {
        return new HllSketch(lgK, TgtHllType.HLL_4);
    }

    public static Union newUnion(int lgK) {
        return new Union(lgK);
    }

    public static HllSketch read(byte[] bytes) {
        return HllSketch.heapify(bytes);
    }

    public static byte[] bytes(Union union) {
        return union.getResult(TgtHllType.HLL_4).toCompactByteArray();
    }

    /**
     * A sketch's estimate, rounded: the number written as a row's visitors. The composite estimator reads the registers
     * only (the HIP estimator would depend on the order of the updates, which differs between a run and its replay).
     */
    public static long estimate(HllSketch sketch) {
        return Math.round(sketch.getCompositeEstimate());
    }
}
