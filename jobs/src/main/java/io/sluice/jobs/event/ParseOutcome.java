package io.sluice.jobs.event;

/** The result of parsing one record: a valid event, or the reason it was rejected. */
public sealed interface ParseOutcome {
    /** A valid event. */
    record Valid(Event event) implements ParseOutcome {}

    /** A rejected record, with a short human-readable detail (never the whole input). */
    record Rejected(DeadLetterReason reason, String detail) implements ParseOutcome {}
}
