package io.sluice.jobs.event;

/** Why an event was sent to the dead-letter output instead of the jobs. */
public enum DeadLetterReason {
    /** The record has no value, or an empty one. */
    EMPTY,
    /** Larger than {@code sluice.parser.max-event-bytes}. */
    TOO_LARGE,
    /** Not well-formed JSON (including invalid UTF-8 and trailing content). */
    MALFORMED_JSON,
    /** Well-formed JSON, but not an object. */
    NOT_AN_OBJECT,
    /** Nested deeper than {@code sluice.parser.max-depth}. */
    TOO_DEEP,
    /** A string longer than {@code sluice.parser.max-string-length}. */
    STRING_TOO_LONG,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong type or an invalid value. */
    INVALID_FIELD,
    /** Event time behind the watermark: the window it belongs to is final already. */
    LATE;

    /** The lower-case name used in dead-letter records. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
