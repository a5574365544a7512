package io.sluice.jobs.event;

import static io.sluice.api.config.ConfigType.LIST;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.ConfigException;
import io.sluice.api.config.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The event schema's properties ({@link EventSchema}); the defaults are the A/B-testing events of DESIGN.md. */
public final class SchemaConfig {
    public static final String ID_FIELD = "sluice.schema.id-field";
    public static final String TIME_FIELD = "sluice.schema.time-field";
    public static final String TIME_FORMAT = "sluice.schema.time-format";
    public static final String REQUIRED = "sluice.schema.required-fields";
    public static final String NON_BLANK = "sluice.schema.non-blank-fields";
    public static final String JSON_SCHEMA = "sluice.schema.json-schema";

    public static final ConfigDef CONFIG = new ConfigDef("schema")
            .define(
                    ID_FIELD,
                    STRING,
                    "event_id",
                    Validator.any(STRING),
                    "Top-level field holding an event's identity, unique and chosen by its sender (copies of one"
                            + " identity are kept once). Empty: events carry none, and each is identified by its source"
                            + " position (topic+partition+offset).")
            .define(
                    TIME_FIELD,
                    STRING,
                    "ts",
                    Validator.nonEmpty("a field name"),
                    "Top-level field holding the event time.")
            .define(
                    TIME_FORMAT,
                    STRING,
                    "epoch-ms",
                    Validator.oneOf("epoch-ms", "epoch-s", "iso-8601"),
                    "How the event time is written: an integer of epoch milliseconds or seconds, or an ISO-8601"
                            + " instant with its offset (2026-12-02T10:15:30.120Z).")
            .define(
                    REQUIRED,
                    LIST,
                    "account_id,experiment_id,variation_id,user_id,type",
                    Validator.any(LIST),
                    "Top-level string fields every event must have (absent or null: dead letter `missing_field`;"
                            + " not a string: `invalid_field`). Each job may need more, for itself only.")
            .define(
                    NON_BLANK,
                    LIST,
                    "type",
                    Validator.any(LIST),
                    "Required fields that must not be blank (`invalid_field`).")
            .define(
                    JSON_SCHEMA,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "A JSON Schema file (a path or file: URI, read at start) every event must also satisfy;"
                            + " an event that does not is a dead letter `schema_violation`. Empty: none.");

    private SchemaConfig() {}

    /** The schema these properties describe; the JSON Schema file is read now. */
    public static EventSchema schema(Config c) {
        List<String> required = c.getList(REQUIRED);
        for (String field : c.getList(NON_BLANK)) {
            if (!required.contains(field)) {
                throw new ConfigException(NON_BLANK + ": " + field + " is not in " + REQUIRED);
            }
        }
        return new EventSchema(
                c.getString(ID_FIELD),
                c.getString(TIME_FIELD),
                EventSchema.TimeFormat.of(c.getString(TIME_FORMAT)),
                required,
                c.getList(NON_BLANK),
                jsonSchema(c.getString(JSON_SCHEMA)));
    }

    private static String jsonSchema(String location) {
        if (location.isBlank()) {
            return "";
        }
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(JSON_SCHEMA + ": cannot read " + location + ": " + e);
        }
        try {
            JsonSchemaCheck.of(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JSON_SCHEMA + ": " + location + " is " + e.getMessage());
        }
        return text;
    }
}
