package io.sluice.jobs.results;

import java.util.Locale;

/** How the results jobs count the distinct users of each count row ({@code sluice.job.results.visitors}). */
public enum VisitorCounting {
    /**
     * Exact: the users of every open count row are kept by the driver, and each user's first window per variation is
     * claimed in HBase ({@link VisitorClaims}) for the lifetime count. Memory and claims grow with the users.
     */
    EXACT,
    /**
     * A HyperLogLog sketch (Apache DataSketches, HLL_4) per count row: fixed memory per row, relative standard error
     * 1.04 / sqrt(2^lgK) (lgK 12: 1.6 %; within 3.3 % with 95 % confidence). Lifetime visitors are the union of the
     * rows' sketches, read back from the table.
     */
    HLL,
    /** No visitors counted. */
    OFF;

    public static VisitorCounting parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
