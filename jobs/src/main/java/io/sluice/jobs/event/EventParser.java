package io.sluice.jobs.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Parses one event from its JSON bytes with Jackson's streaming API, enforcing {@link ParserLimits} and the {@link
 * EventSchema}. Never throws on
 * bad input: every problem becomes a {@link ParseOutcome.Rejected} with its {@link DeadLetterReason}.
 *
 * <p>Thread-safe; cheap to create. Holds only its limits and schema, so it can travel in Spark closures.
 */
public final class EventParser implements Serializable {
    /** Longest {@code event_id} accepted: it is part of the HBase row key. */
    public static final int MAX_EVENT_ID_LENGTH = 256;

    private final ParserLimits limits;
    private final EventSchema schema;
    private transient JsonFactory factory;

    /** A parser of the default, A/B-testing events ({@link EventSchema#AB}). */
    public EventParser(ParserLimits limits) {
        this(limits, EventSchema.AB);
    }

    public EventParser(ParserLimits limits, EventSchema schema) {
        this.limits = limits;
        this.schema = schema;
    }

    public ParserLimits limits() {
        return limits;
    }

    public EventSchema schema() {
        return schema;
    }

    public ParseOutcome parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return reject(DeadLetterReason.EMPTY, "no value");
        }
        if (bytes.length > limits.maxEventBytes()) {
            return reject(DeadLetterReason.TOO_LARGE, bytes.length + " bytes, limit " + limits.maxEventBytes());
        }
        int start = RawText.utf8BomLength(bytes);
        int invalid = RawText.firstInvalidUtf8(bytes, start);
        if (invalid >= 0) {
            return reject(DeadLetterReason.INVALID_ENCODING, "not valid UTF-8 at byte " + invalid);
        }
        try (JsonParser parser = factory().createParser(bytes, start, bytes.length - start)) {
            ParseOutcome outcome = parseObject(parser);
            if (outcome instanceof ParseOutcome.Valid v) {
                if (parser.nextToken() != null) {
                    return reject(DeadLetterReason.MALFORMED_JSON, "trailing content after the event object");
                }
                byte[] normalized = start == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, start, bytes.length);
                if (!schema.jsonSchema().isEmpty()) {
                    String violation = JsonSchemaCheck.of(schema.jsonSchema()).firstViolation(normalized);
                    if (violation != null) {
                        return reject(DeadLetterReason.SCHEMA_VIOLATION, violation);
                    }
                }
                return new ParseOutcome.Valid(v.event(), normalized);
            }
            return outcome;
        } catch (StreamConstraintsException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("nesting depth")) {
                return reject(DeadLetterReason.TOO_DEEP, "nesting deeper than " + limits.maxDepth());
            }
            if (message.contains("Number")) {
                return reject(DeadLetterReason.NUMBER_OUT_OF_RANGE, firstLine(message));
            }
            return reject(DeadLetterReason.STRING_TOO_LONG, "string longer than " + limits.maxStringLength());
        } catch (IOException e) {
            String message = firstLine(
                    e instanceof com.fasterxml.jackson.core.JsonProcessingException jp
                            ? jp.getOriginalMessage()
                            : String.valueOf(e.getMessage()));
            return reject(classify(message), message);
        }
    }

    /** The reason for a Jackson parse error, from its message (Jackson has no error codes). */
    private static DeadLetterReason classify(String message) {
        if (message.startsWith("Duplicate field")) {
            return DeadLetterReason.DUPLICATE_KEY;
        }
        if (message.contains("CTRL-CHAR")) {
            return DeadLetterReason.CONTROL_CHARACTER;
        }
        if (message.contains("UTF-8") || message.contains("UTF8")) {
            return DeadLetterReason.INVALID_ENCODING;
        }
        return DeadLetterReason.MALFORMED_JSON;
    }

    private ParseOutcome parseObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return reject(DeadLetterReason.NOT_AN_OBJECT, "the event must be a JSON object");
        }
        EventFields fields = new EventFields(schema);
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            ParseOutcome problem = fields.read(name, value, parser, this);
            if (problem != null) {
                return problem;
            }
        }
        return fields.toOutcome();
    }

    /**
     * Skips the value of a field Sluice does not read, checking that every number in it is one a standard reader
     * holds (the archive keeps the event whole, so what it holds must parse everywhere).
     */
    void skipChecked(JsonToken token, JsonParser parser) throws IOException {
        if (!token.isStructStart()) {
            checkNumber("a field", token, parser);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken t = parser.nextToken();
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else {
                checkNumber(parser.currentName() == null ? "an array element" : parser.currentName(), t, parser);
            }
        }
    }

    /** Rejects an integer beyond 64 bits and a float beyond a double's range. */
    static void checkNumber(String field, JsonToken token, JsonParser parser) throws IOException {
        checkNumber("", field, token, parser);
    }

    /** As {@link #checkNumber(String, JsonToken, JsonParser)}, the field named {@code prefix + name} (built on failure). */
    static void checkNumber(String prefix, String name, JsonToken token, JsonParser parser) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || token == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(parser.getDoubleValue())) {
            throw new FieldException(
                    DeadLetterReason.NUMBER_OUT_OF_RANGE,
                    prefix + name + " is " + parser.getText() + ": beyond a 64-bit integer or a double");
        }
    }

    /** Reads a string value, enforcing the string limit. Returns null for a JSON null. */
    String readString(String field, JsonToken token, JsonParser parser) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new FieldException(
                    DeadLetterReason.INVALID_FIELD, field + " must be a string, got " + describe(token));
        }
        return checkLength(field, parser.getText());
    }

    String checkLength(String field, String text) {
        return checkLength("", field, text);
    }

    /** As {@link #checkLength(String, String)}, the field named {@code prefix + name} (built on failure). */
    String checkLength(String prefix, String name, String text) {
        if (text.length() > limits.maxStringLength()) {
            throw new FieldException(
                    DeadLetterReason.STRING_TOO_LONG,
                    prefix + name + " is " + text.length() + " characters, limit " + limits.maxStringLength());
        }
        return text;
    }

    /** Reads the attributes object: scalar values only, kept as text. */
    Map<String, String> readAttributes(JsonToken token, JsonParser parser) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (token != JsonToken.START_OBJECT) {
            throw new FieldException(
                    DeadLetterReason.INVALID_FIELD, "attributes must be an object, got " + describe(token));
        }
        TextEntries attributes = new TextEntries();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = checkLength("attributes key", parser.currentName());
            JsonToken value = parser.nextToken();
            if (value.isStructStart()) {
                if (limits.maxDepth() < 3) {
                    throw new FieldException(DeadLetterReason.TOO_DEEP, "nesting deeper than " + limits.maxDepth());
                }
                throw new FieldException(
                        DeadLetterReason.INVALID_FIELD, "attributes." + key + " must be a string, number or boolean");
            }
            checkNumber("attributes.", key, value, parser);
            if (value != JsonToken.VALUE_NULL) {
                attributes.put(key, checkLength("attributes.", key, parser.getText()));
            }
            if (attributes.size() > limits.maxAttributes()) {
                throw new FieldException(
                        DeadLetterReason.INVALID_FIELD, "more than " + limits.maxAttributes() + " attributes");
            }
        }
        return attributes.toMap();
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static ParseOutcome reject(DeadLetterReason reason, String detail) {
        return new ParseOutcome.Rejected(reason, detail);
    }

    private static String firstLine(String message) {
        int cut = message.indexOf('\n');
        String line = cut < 0 ? message : message.substring(0, cut);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private JsonFactory factory() {
        if (factory == null) {
            factory = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(limits.maxDepth())
                            .maxStringLength(Math.max(limits.maxStringLength(), limits.maxEventBytes()))
                            .maxNumberLength(32)
                            .build())
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();
        }
        return factory;
    }

    /** A field-level rejection raised while reading; turned into a {@link ParseOutcome.Rejected}. */
    static final class FieldException extends RuntimeException {
        final DeadLetterReason reason;

        FieldException(DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * The identity of an event whose schema names no identity field: its source position, {@code
     * <topic>+<partition>+<offset>}, the same in every replay of the position.
     */
    public static String positionId(SourceRange range, long offset) {
        return range.key().topic() + "+" + range.key().partition() + "+" + offset;
    }

    /**
     * Parses every record of {@code records} that lies in {@code range}; {@code arrival} gives each record's arrival
     * time ({@link PositionedEvent#arrival}).
     */
    public <R> PartitionBatch parseBatch(
            SourceRange range,
            Iterator<R> records,
            ToLongFunction<R> offset,
            ToLongFunction<R> arrival,
            Function<R, byte[]> value) {
        List<PositionedEvent> valid = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        while (records.hasNext()) {
            R record = records.next();
            long at = offset.applyAsLong(record);
            if (at < range.from() || at >= range.until()) {
                continue;
            }
            byte[] raw = value.apply(record);
            ParseOutcome outcome = parse(raw);
            if (outcome instanceof ParseOutcome.Valid v) {
                Event event = schema.hasIdField() ? v.event() : v.event().withId(positionId(range, at));
                valid.add(new PositionedEvent(at, event, v.normalized(), arrival.applyAsLong(record)));
            } else if (outcome instanceof ParseOutcome.Rejected r) {
                dead.add(new DeadLetter(range.key(), at, r.reason(), r.detail(), raw == null ? new byte[0] : raw));
            }
        }
        return new PartitionBatch(range, valid, dead);
    }
}
