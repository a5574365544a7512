package io.sluice.jobs.event;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;

/** The result of parsing one record: a valid event, or the reason it was rejected. */
public sealed interface ParseOutcome {
    /**
     * A valid event and its bytes as the outputs keep them: the input, without a leading UTF-8 byte order mark (which
     * no standard JSON reader accepts in a JSON-lines file). The same array as the input when nothing was removed.
     */
    record Valid(Event event, byte[] normalized) implements ParseOutcome {
        public Valid(Event event) {
            this(event, null);
        }
    }

    /** A rejected record, with a short human-readable detail (never the whole input). */
    record Rejected(DeadLetterReason reason, String detail) implements ParseOutcome {}
}
