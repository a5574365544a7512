package io.sluice.driver.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Loads settings from a properties file plus {@code key=value} overrides (the overrides win). */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static SluiceSettings load(Path file, List<String> overrides) {
        return SluiceSettings.from(Config.parse(properties(file, overrides), SluiceConfig.ALL));
    }

    public static SluiceSettings load(Map<String, String> properties) {
        Properties p = new Properties();
        p.putAll(properties);
        return SluiceSettings.from(Config.parse(p, SluiceConfig.ALL));
    }

    static Properties properties(Path file, List<String> overrides) {
        Properties p = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config: no such file " + file);
            } catch (IOException e) {
                throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage());
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set: expected key=value, got '" + override + "'");
            }
            p.setProperty(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return p;
    }
}
