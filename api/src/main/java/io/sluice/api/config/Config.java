package io.sluice.api.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validated property values. Built from properties (a file plus overrides): every {@code sluice.*} key must be
 * defined, every required key present, every value well-formed; the first problem stops start-up with a
 * {@link ConfigException}. {@code spark.*} keys are passed to Spark as they are, and so are the keys under a defined
 * {@link ConfigPrefix} to the component that owns it ({@link #withPrefix}).
 */
public final class Config {
    private final Map<String, Object> values;
    private final Map<String, String> sparkProperties;
    private final Map<String, String> prefixed;

    private Config(Map<String, Object> values, Map<String, String> sparkProperties, Map<String, String> prefixed) {
        this.values = values;
        this.sparkProperties = sparkProperties;
        this.prefixed = prefixed;
    }

    public static Config parse(Properties properties, List<ConfigDef> definitions) {
        return parse(properties, definitions, Set.of());
    }

    /**
     * As {@link #parse(Properties, List)}, where the keys of the components named in {@code inactive} (a source or job
     * this run does not use) are accepted but not required: a required key of theirs that is absent reads as null.
     */
    public static Config parse(Properties properties, List<ConfigDef> definitions, Set<String> inactive) {
        Map<String, ConfigKey> defined = new LinkedHashMap<>();
        Set<String> optional = new HashSet<>();
        List<String> prefixes = new java.util.ArrayList<>();
        definitions.forEach(def -> {
            def.keys().forEach(k -> {
                defined.put(k.name(), k);
                if (inactive.contains(def.component())) {
                    optional.add(k.name());
                }
            });
            def.prefixes().forEach(p -> prefixes.add(p.prefix()));
        });
        Map<String, String> spark = new TreeMap<>();
        Map<String, String> prefixed = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("spark.")) {
                spark.put(name, properties.getProperty(name).trim());
            } else if (!defined.containsKey(name) && prefixes.stream().anyMatch(name::startsWith)) {
                prefixed.put(name, properties.getProperty(name).trim());
            } else if (name.startsWith("sluice.") && !defined.containsKey(name)) {
                throw new ConfigException(name + ": unknown property" + suggestion(name, defined.keySet()));
            }
        }
        Map<String, Object> values = new HashMap<>();
        for (ConfigKey key : defined.values()) {
            String raw = properties.getProperty(key.name());
            if (raw == null && key.required() && optional.contains(key.name())) {
                values.put(key.name(), null);
                continue;
            }
            if (raw == null) {
                if (key.required()) {
                    throw new ConfigException(key.name() + ": required, expected "
                            + key.validator().describe());
                }
                raw = key.defaultValue();
            }
            values.put(key.name(), key.parse(raw));
        }
        return new Config(values, spark, prefixed);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) get(key);
    }

    /** The {@code spark.*} properties given, to set on the SparkConf. */
    public Map<String, String> sparkProperties() {
        return sparkProperties;
    }

    /**
     * The keys given under {@code prefix} (a defined {@link ConfigPrefix}), with the prefix taken off, and their values
     * as given (trimmed), in key order. Their owner validates them.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> under = new TreeMap<>();
        prefixed.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                under.put(k.substring(prefix.length()), v);
            }
        });
        return under;
    }

    private Object get(String key) {
        Object value = values.get(key);
        if (value == null && !values.containsKey(key)) {
            throw new IllegalArgumentException("property " + key + " is not defined");
        }
        return value;
    }

    private static String suggestion(String name, java.util.Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
