package io.sluice.api.config;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Checks a parsed value; {@link #describe()} says what is accepted (for errors and the README). */
public interface Validator {
    /** True when {@code value} is acceptable. */
    boolean accepts(Object value);

    /** What is accepted, e.g. "an integer >= 1". */
    String describe();

    static Validator any(ConfigType type) {
        return simple(v -> true, type.expected());
    }

    static Validator atLeast(long min) {
        return simple(v -> ((Number) v).doubleValue() >= min, "a number >= " + min);
    }

    static Validator between(double min, double max) {
        return simple(
                v -> ((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max,
                "a number from " + min + " to " + max);
    }

    static Validator oneOf(String... choices) {
        Set<String> allowed = Set.of(choices);
        return simple(allowed::contains, "one of " + String.join(", ", choices));
    }

    static Validator nonEmpty(String what) {
        return simple(
                v -> v instanceof Collection<?> c ? !c.isEmpty() : !v.toString().isBlank(), what);
    }

    /** A non-empty list of URIs, each with a scheme (file, hdfs, s3a, ...). */
    static Validator uris() {
        return simple(
                v -> {
                    List<?> list = (List<?>) v;
                    if (list.isEmpty()) {
                        return false;
                    }
                    for (Object item : list) {
                        try {
                            if (URI.create(item.toString()).getScheme() == null) {
                                return false;
                            }
                        } catch (IllegalArgumentException e) {
                            return false;
                        }
                    }
                    return true;
                },
                "a comma-separated list of URIs with a scheme, e.g. hdfs://namenode:8020/sluice/archive,s3a://bucket/archive");
    }

    private static Validator simple(java.util.function.Predicate<Object> test, String description) {
        return new Validator() {
            @Override
            public boolean accepts(Object value) {
                return test.test(value);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
