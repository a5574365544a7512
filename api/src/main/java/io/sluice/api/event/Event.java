package io.sluice.api.event;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One valid event. The pipeline needs only an identity ({@code eventId}: unique, chosen by the sender, or derived from
 * the source position when the schema names no identity field) and an event time ({@code ts}, epoch milliseconds,
 * read in the schema's time format). {@code fields} holds the event's other top-level scalar fields as text (a JSON
 * null is absent), {@code attributes} its free map of strings, when it has one. The default schema is the A/B-testing
 * one (DESIGN.md), whose fields have accessors of their own.
 */
public record Event(String eventId, long ts, Map<String, String> fields, Map<String, String> attributes)
        implements Serializable {
    public Event {
        Objects.requireNonNull(eventId, "eventId");
        fields = Map.copyOf(fields);
        attributes = Map.copyOf(attributes);
    }

    /** An event of the A/B schema. */
    public Event(
            String eventId,
            long ts,
            String accountId,
            String experimentId,
            String variationId,
            String userId,
            String type,
            Map<String, String> attributes) {
        this(
                eventId,
                ts,
                Map.of(
                        "account_id", accountId,
                        "experiment_id", experimentId,
                        "variation_id", variationId,
                        "user_id", userId,
                        "type", type),
                attributes);
    }

    /**
     * The top-level field {@code name} as text, or the entry {@code key} of {@code attributes} for a name {@code
     * attributes.<key>}; null when the event has none.
     */
    public String field(String name) {
        String value = fields.get(name);
        if (value == null && name.startsWith(ATTRIBUTES)) {
            value = attributes.get(name.substring(ATTRIBUTES.length()));
        }
        return value;
    }

    private static final String ATTRIBUTES = "attributes.";

    /** The same event with another identity (one derived from its source position). */
    public Event withId(String id) {
        return new Event(id, ts, fields, attributes);
    }

    public String accountId() {
        return fields.get("account_id");
    }

    public String experimentId() {
        return fields.get("experiment_id");
    }

    public String variationId() {
        return fields.get("variation_id");
    }

    public String userId() {
        return fields.get("user_id");
    }

    public String type() {
        return fields.get("type");
    }
}
