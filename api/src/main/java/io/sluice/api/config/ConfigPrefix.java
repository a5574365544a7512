package io.sluice.api.config;

/**
 * A family of properties under one prefix whose names are not Sluice's (another library's settings passed through,
 * e.g. {@code sluice.kafka.consumer.*}). {@link Config} accepts any key under it and hands the keys and values over
 * as they are ({@link Config#withPrefix}); the component that owns the prefix validates them.
 *
 * @param prefix ends with a dot, e.g. {@code sluice.kafka.consumer.}
 * @param accepted what may follow the prefix, for the documentation
 */
public record ConfigPrefix(String prefix, String accepted, String doc) {
    public ConfigPrefix {
        if (!prefix.startsWith("sluice.") || !prefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix is sluice.<...>. with a final dot, got " + prefix);
        }
    }
}
