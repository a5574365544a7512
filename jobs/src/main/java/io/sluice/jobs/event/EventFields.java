package io.sluice.jobs.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;

/** The fields of one event as they are read, and the validation of the whole once the object closes. */
final class EventFields {
    private String eventId;
    private Long ts;
    private String accountId;
    private String experimentId;
    private String variationId;
    private String userId;
    private String type;
    private Map<String, String> attributes = Map.of();

    /** Reads one field; returns a rejection, or null to go on. Unknown fields are skipped (within the limits). */
    ParseOutcome read(String name, JsonToken value, JsonParser parser, EventParser reader) throws IOException {
        try {
            switch (name) {
                case "event_id" -> eventId = reader.readString(name, value, parser);
                case "ts" -> ts = readTimestamp(value, parser);
                case "account_id" -> accountId = reader.readString(name, value, parser);
                case "experiment_id" -> experimentId = reader.readString(name, value, parser);
                case "variation_id" -> variationId = reader.readString(name, value, parser);
                case "user_id" -> userId = reader.readString(name, value, parser);
                case "type" -> type = reader.readString(name, value, parser);
                case "attributes" -> attributes = reader.readAttributes(value, parser);
                default -> reader.skipChecked(value, parser);
            }
            return null;
        } catch (EventParser.FieldException e) {
            return new ParseOutcome.Rejected(e.reason, e.getMessage());
        }
    }

    ParseOutcome toOutcome() {
        String missing = eventId == null
                ? "event_id"
                : ts == null
                        ? "ts"
                        : accountId == null
                                ? "account_id"
                                : experimentId == null
                                        ? "experiment_id"
                                        : variationId == null
                                                ? "variation_id"
                                                : userId == null ? "user_id" : type == null ? "type" : null;
        if (missing != null) {
            return new ParseOutcome.Rejected(DeadLetterReason.MISSING_FIELD, missing + " is required");
        }
        if (eventId.isBlank() || eventId.length() > EventParser.MAX_EVENT_ID_LENGTH) {
            return new ParseOutcome.Rejected(
                    DeadLetterReason.INVALID_FIELD,
                    "event_id must have 1 to " + EventParser.MAX_EVENT_ID_LENGTH + " characters");
        }
        if (type.isBlank()) {
            return new ParseOutcome.Rejected(DeadLetterReason.INVALID_FIELD, "type must not be blank");
        }
        return new ParseOutcome.Valid(
                new Event(eventId, ts, accountId, experimentId, variationId, userId, type, attributes));
    }

    private static Long readTimestamp(JsonToken value, JsonParser parser) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    "ts must be an integer of epoch milliseconds, got " + EventParser.describe(value));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new EventParser.FieldException(
                    DeadLetterReason.NUMBER_OUT_OF_RANGE, "ts is " + parser.getText() + ": beyond a 64-bit integer");
        }
        if (parser.getLongValue() < 0) {
            throw new EventParser.FieldException(
                    DeadLetterReason.INVALID_FIELD,
                    "ts must be between 0 and " + Long.MAX_VALUE + ", got " + parser.getText());
        }
        return parser.getLongValue();
    }
}
