package io.sluice.jobs.results;

import io.sluice.api.event.Event;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** One experiment of one account: what the top-experiments job ranks. */
public record ExperimentKey(String accountId, String experimentId) implements Serializable, Comparable<ExperimentKey> {
    private static final Comparator<ExperimentKey> ORDER =
            Comparator.comparing(ExperimentKey::accountId).thenComparing(ExperimentKey::experimentId);

    public ExperimentKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(experimentId, "experimentId");
    }

    /** The experiment an event belongs to. */
    public static ExperimentKey of(Event event) {
        return new ExperimentKey(event.accountId(), event.experimentId());
    }

    @Override
    public int compareTo(ExperimentKey other) {
        return ORDER.compare(this, other);
    }
}
