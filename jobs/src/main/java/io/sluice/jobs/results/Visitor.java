package io.sluice.jobs.results;

import java.io.Serializable;
import java.util.Objects;

/** A user of one experiment variation: what a lifetime claim is made for ({@link VisitorClaims}). */
public record Visitor(Variation variation, String userId) implements Serializable {
    public Visitor {
        Objects.requireNonNull(variation, "variation");
        Objects.requireNonNull(userId, "userId");
    }
}
