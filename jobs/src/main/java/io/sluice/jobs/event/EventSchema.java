package io.sluice.jobs.event;

import java.io.Serializable;
import java.util.List;

/**
 * What a valid event is, beyond well-formed JSON within the {@link ParserLimits}: where its identity and its time are,
 * how the time is written, which fields it must have (as non-null strings) and which of those must not be blank, and
 * optionally a JSON Schema it must satisfy.
 *
 * @param idField the identity's field; empty: events carry none, and it is derived from the source position
 * @param jsonSchema the text of a JSON Schema every event must satisfy; empty: none
 */
public record EventSchema(
        String idField,
        String timeField,
        TimeFormat timeFormat,
        List<String> requiredFields,
        List<String> nonBlankFields,
        String jsonSchema)
        implements Serializable {
    /** The A/B-testing events of DESIGN.md: the default. */
    public static final EventSchema AB = new EventSchema(
            "event_id",
            "ts",
            TimeFormat.EPOCH_MS,
            List.of("account_id", "experiment_id", "variation_id", "user_id", "type"),
            List.of("type"),
            "");

    public EventSchema {
        requiredFields = List.copyOf(requiredFields);
        nonBlankFields = List.copyOf(nonBlankFields);
        if (timeField.isBlank()) {
            throw new IllegalArgumentException("an event schema needs a time field");
        }
    }

    /** Whether events carry an identity of their own. */
    public boolean hasIdField() {
        return !idField.isEmpty();
    }

    /** How an event time is written. */
    public enum TimeFormat {
        /** An integer of milliseconds since the epoch. */
        EPOCH_MS("epoch-ms"),
        /** An integer of seconds since the epoch. */
        EPOCH_S("epoch-s"),
        /** An ISO-8601 instant with its offset, e.g. {@code 2026-12-02T10:15:30.120Z}. */
        ISO_8601("iso-8601");

        private final String code;

        TimeFormat(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The format written {@code code} in the properties. */
        public static TimeFormat of(String code) {
            for (TimeFormat f : values()) {
                if (f.code.equals(code)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown time format " + code);
        }
    }
}
