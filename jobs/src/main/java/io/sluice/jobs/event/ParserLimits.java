package io.sluice.jobs.event;

import java.io.Serializable;

/** The explicit limits the parser enforces on untrusted input. */
public record ParserLimits(int maxEventBytes, int maxDepth, int maxStringLength, int maxAttributes)
        implements Serializable {
    public static final ParserLimits DEFAULT = new ParserLimits(16 * 1024, 8, 4096, 64);

    public ParserLimits {
        if (maxEventBytes <= 0 || maxDepth <= 0 || maxStringLength <= 0 || maxAttributes < 0) {
            throw new IllegalArgumentException("parser limits must be positive: " + maxEventBytes + ", " + maxDepth
                    + ", " + maxStringLength + ", " + maxAttributes);
        }
    }
}
