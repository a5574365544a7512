package io.sluice.api.config;

/** A property that is missing, unknown or malformed. Its message is one line naming the key and what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }

    static ConfigException invalid(String key, String value, String expected) {
        return new ConfigException(key + ": expected " + expected + ", got '" + value + "'");
    }
}
