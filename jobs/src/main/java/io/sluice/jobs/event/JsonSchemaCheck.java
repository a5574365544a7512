package io.sluice.jobs.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks events against a JSON Schema (networknt's validator; draft 2020-12 unless the schema's {@code $schema} says
 * otherwise). Compiled once per JVM for each schema text.
 */
public final class JsonSchemaCheck {
    private static final Map<String, JsonSchemaCheck> COMPILED = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Schema schema;

    private JsonSchemaCheck(Schema schema) {
        this.schema = schema;
    }

    /**
     * The check of the schema {@code text}.
     *
     * @throws IllegalArgumentException when {@code text} is not a JSON Schema
     */
    public static JsonSchemaCheck of(String text) {
        return COMPILED.computeIfAbsent(text, t -> {
            try {
                return new JsonSchemaCheck(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(JSON.readTree(t)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a JSON Schema: " + e.getMessage(), e);
            }
        });
    }

    /** The first violation of the schema by {@code json} (a well-formed JSON object), or null when it satisfies it. */
    public String firstViolation(byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            return "not readable as JSON: " + e.getMessage();
        }
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return null;
        }
        Error error = errors.get(0);
        String first = error.getInstanceLocation() + ": " + error.getMessage();
        return first.length() > 200 ? first.substring(0, 200) : first;
    }
}
