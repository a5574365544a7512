package io.sluice.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The properties of one component, defined once: the driver validates them and the README documents them. */
public final class ConfigDef {
    private final String component;
    private final List<ConfigKey> keys = new ArrayList<>();
    private final List<ConfigPrefix> prefixes = new ArrayList<>();

    public ConfigDef(String component) {
        this.component = component;
    }

    public ConfigDef define(String name, ConfigType type, String defaultValue, Validator validator, String doc) {
        keys.add(new ConfigKey(name, type, defaultValue, validator, doc, false));
        return this;
    }

    public ConfigDef define(String name, ConfigType type, String defaultValue, String doc) {
        return define(name, type, defaultValue, Validator.any(type), doc);
    }

    public ConfigDef defineSecret(String name, String doc) {
        keys.add(new ConfigKey(name, ConfigType.STRING, "", Validator.any(ConfigType.STRING), doc, true));
        return this;
    }

    /** Accepts every key under {@code prefix} ({@link ConfigPrefix}); the owner validates them. */
    public ConfigDef definePrefix(String prefix, String accepted, String doc) {
        prefixes.add(new ConfigPrefix(prefix, accepted, doc));
        return this;
    }

    public String component() {
        return component;
    }

    public List<ConfigKey> keys() {
        return Collections.unmodifiableList(keys);
    }

    public List<ConfigPrefix> prefixes() {
        return Collections.unmodifiableList(prefixes);
    }
}
