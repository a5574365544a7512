package io.sluice.api.config;

/**
 * One property: key, type, default ({@code null} = required), validator and documentation.
 *
 * @param secret true for values never to be printed (credentials)
 */
public record ConfigKey(
        String name, ConfigType type, String defaultValue, Validator validator, String doc, boolean secret) {
    public boolean required() {
        return defaultValue == null;
    }

    /** Parses and validates {@code raw}; the error names the key, the value and what is expected. */
    Object parse(String raw) {
        Object value = type.parse(name, raw);
        if (!validator.accepts(value)) {
            throw ConfigException.invalid(name, secret ? "***" : raw, validator.describe());
        }
        return value;
    }
}
