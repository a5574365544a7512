package io.sluice.jobs.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The fields of one event as they are read, and the validation of the whole once the object closes. */
final class EventFields {
    private final EventSchema schema;
    private String eventId;
    private Long ts;
    private final TextEntries fields = new TextEntries();
    private Map<String, String> attributes = Map.of();

    EventFields(EventSchema schema) {
        this.schema = schema;
    }

    /**
     * Reads one field; returns a rejection, or null to go on. The schema's required fields must be strings; other
     * scalar fields are kept as text; objects and arrays other than {@code attributes} are skipped (within the limits).
     */
    ParseOutcome read(String name, JsonToken value, JsonParser parser, EventParser reader) throws IOException {
        try {
            if (name.equals(schema.idField())) {
                eventId = reader.readString(name, value, parser);
            } else if (name.equals(schema.timeField())) {
                ts = readTime(name, value, parser);
            } else if (name.equals("attributes")) {
                attributes = reader.readAttributes(value, parser);
            } else if (schema.requiredFields().contains(name)) {
                put(name, reader.readString(name, value, parser));
            } else if (value.isScalarValue()) {
                reader.skipChecked(value, parser); // checks its number, if it is one
                if (value != JsonToken.VALUE_NULL) {
                    put(name, parser.getText());
                }
            } else {
                reader.skipChecked(value, parser);
            }
            return null;
        } catch (EventParser.FieldException e) {
            return new ParseOutcome.Rejected(e.reason, e.getMessage());
        }
    }

    private void put(String name, String text) {
        if (text != null) {
            fields.put(name, text);
        }
    }

    ParseOutcome toOutcome() {
        if (schema.hasIdField() && eventId == null) {
            return missing(schema.idField());
        }
        if (ts == null) {
            return missing(schema.timeField());
        }
        Map<String, String> fields = this.fields.toMap();
        for (String required : schema.requiredFields()) {
            if (!fields.containsKey(required)) {
                return missing(required);
            }
        }
        if (schema.hasIdField() && (eventId.isBlank() || eventId.length() > EventParser.MAX_EVENT_ID_LENGTH)) {
            return new ParseOutcome.Rejected(
                    DeadLetterReason.INVALID_FIELD,
                    schema.idField() + " must have 1 to " + EventParser.MAX_EVENT_ID_LENGTH + " characters");
        }
        for (String nonBlank : schema.nonBlankFields()) {
            String value = fields.get(nonBlank);
            if (value != null && value.isBlank()) {
                return new ParseOutcome.Rejected(DeadLetterReason.INVALID_FIELD, nonBlank + " must not be blank");
            }
        }
        // without an identity field, the parser's caller derives one from the source position
        return new ParseOutcome.Valid(new Event(eventId == null ? "" : eventId, ts, fields, attributes));
    }

    private static ParseOutcome missing(String field) {
        return new ParseOutcome.Rejected(DeadLetterReason.MISSING_FIELD, field + " is required");
    }

    private Long readTime(String name, JsonToken value, JsonParser parser) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        return switch (schema.timeFormat()) {
            case EPOCH_MS -> readEpoch(name, value, parser, 1);
            case EPOCH_S -> readEpoch(name, value, parser, 1000);
            case ISO_8601 -> readInstant(name, value, parser);
        };
    }

    private static long readEpoch(String name, JsonToken value, JsonParser parser, long unitMs) throws IOException {
        String unit = unitMs == 1 ? "milliseconds" : "seconds";
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    name + " must be an integer of epoch " + unit + ", got " + EventParser.describe(value));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new EventParser.FieldException(
                    DeadLetterReason.NUMBER_OUT_OF_RANGE,
                    name + " is " + parser.getText() + ": beyond a 64-bit integer");
        }
        long time = parser.getLongValue();
        if (time < 0 || time > Long.MAX_VALUE / unitMs) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    name + " must be between 0 and " + Long.MAX_VALUE / unitMs + ", got " + parser.getText());
        }
        return time * unitMs;
    }

    private static long readInstant(String name, JsonToken value, JsonParser parser) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    name + " must be an ISO-8601 instant, got " + EventParser.describe(value));
        }
        String text = parser.getText();
        try {
            long time = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            if (time < 0) {
                throw new EventParser.FieldException(
                        DeadLetterReason.INVALID_FIELD, name + " must not be before 1970, got " + text);
            }
            return time;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    name + " must be an ISO-8601 instant with an offset (2026-12-02T10:15:30Z), got '"
                            + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "'");
        }
    }
}
