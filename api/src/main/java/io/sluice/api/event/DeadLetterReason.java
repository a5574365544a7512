package io.sluice.api.event;

/** Why an event was sent to the dead-letter output instead of the jobs. */
public enum DeadLetterReason {
    /** The record has no value, or an empty one. */
    EMPTY,
    /** Larger than {@code sluice.parser.max-event-bytes}. */
    TOO_LARGE,
    /** Not well-formed JSON (including trailing content after the object). */
    MALFORMED_JSON,
    /** Not valid UTF-8 (a byte sequence no UTF-8 decoder accepts, or a UTF-16/32 byte order mark). */
    INVALID_ENCODING,
    /** A raw control character (U+0000 to U+001F) inside a string, or outside one where JSON allows no whitespace. */
    CONTROL_CHARACTER,
    /** The same key twice in one object: readers disagree on which value wins. */
    DUPLICATE_KEY,
    /** A number no standard reader holds: an integer beyond 64 bits, a float beyond a double, or too many digits. */
    NUMBER_OUT_OF_RANGE,
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
    /** Not valid against the configured JSON Schema ({@code sluice.schema.json-schema}). */
    SCHEMA_VIOLATION,
    /** A job's task failed on this event ({@code sluice.jobs}); the detail names the job and the error. */
    JOB_ERROR,
    /**
     * Event time further behind its partition's watermark than {@code sluice.job.results.revise-within-ms}: its window
     * is no longer revised. (Late events within that span are counted by a revision of their window.)
     */
    TOO_LATE,
    /**
     * Event time further ahead of the event's arrival (the Kafka record timestamp, or the receiver's stamp) than
     * {@code sluice.job.results.max-future-ms}: a producer's clock is wrong, or the time is not in milliseconds.
     */
    FUTURE;

    /** The lower-case name used in dead-letter records. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
