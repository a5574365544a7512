package io.sluice.api.config;

import java.util.Arrays;
import java.util.List;

/** The types a property can have, each with its parser and a description of the expected form. */
public enum ConfigType {
    STRING("a string"),
    INT("an integer"),
    LONG("an integer"),
    DOUBLE("a number"),
    BOOLEAN("true or false"),
    LIST("a comma-separated list");

    private final String expected;

    ConfigType(String expected) {
        this.expected = expected;
    }

    public String expected() {
        return expected;
    }

    /**
     * Parses {@code raw} as this type.
     *
     * @throws ConfigException naming {@code key}, the value and the expected form
     */
    public Object parse(String key, String raw) {
        String value = raw.trim();
        try {
            return switch (this) {
                case STRING -> value;
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case DOUBLE -> Double.parseDouble(value);
                case BOOLEAN -> parseBoolean(key, value);
                case LIST -> value.isEmpty()
                        ? List.of()
                        : Arrays.stream(value.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList();
            };
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, raw, expected);
        }
    }

    private static Boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw ConfigException.invalid(key, value, BOOLEAN.expected);
        };
    }
}
