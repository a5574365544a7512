package io.sluice.jobs.results;

import java.io.Serializable;

/**
 * The first on-time event of one partition in one slide bucket: its offset, and the partition's clock just before
 * it. The smallest of these over the buckets still needed is the partition's replay position.
 */
public record BucketStart(long offset, long clockBefore) implements Serializable {
    /** The earlier of two starts of the same bucket. */
    public static BucketStart earlier(BucketStart a, BucketStart b) {
        return a.offset() <= b.offset() ? a : b;
    }
}
