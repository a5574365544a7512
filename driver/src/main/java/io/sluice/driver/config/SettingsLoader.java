package io.sluice.driver.config;

import io.sluice.api.SluiceJob;
import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigException;
import io.sluice.api.config.ConfigType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Loads settings from a properties file plus {@code key=value} overrides (the overrides win). */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static SluiceSettings load(Path file, List<String> overrides) {
        return load(properties(file, overrides));
    }

    public static SluiceSettings load(Map<String, String> properties) {
        return load(properties, Map.of());
    }

    /**
     * As {@link #load(Map)}, with {@code environment} read before this process's environment for the variables the
     * {@code *-env} keys name: a process that runs a driver in itself (the demo) hands it secrets it made.
     */
    public static SluiceSettings load(Map<String, String> properties, Map<String, String> environment) {
        Properties p = new Properties();
        p.putAll(properties);
        return load(p, name -> environment.containsKey(name) ? environment.get(name) : System.getenv(name));
    }

    /**
     * Validates {@code properties} against the pipeline's definitions and those of every job on the classpath. The
     * keys of a job {@code sluice.jobs} does not name, and those of the Kafka source for push ingestion, are accepted
     * but not required.
     */
    public static SluiceSettings load(Properties properties) {
        return load(properties, System::getenv);
    }

    private static SluiceSettings load(Properties properties, java.util.function.Function<String, String> environment) {
        JobCatalog catalog = JobCatalog.onClasspath();
        List<String> names = (List<String>) ConfigType.LIST.parse(
                SluiceConfig.JOBS, properties.getProperty(SluiceConfig.JOBS, defaultOf(SluiceConfig.JOBS)));
        List<SluiceJob> jobs = catalog.select(names);
        Set<String> inactive = new HashSet<>(catalog.inactiveComponents(names));
        if ("http".equals(properties.getProperty(SluiceConfig.SOURCE, "").trim())) {
            inactive.add(SluiceConfig.KAFKA.component()); // push ingestion reads no Kafka
        }
        Config config = Config.parse(properties, SluiceConfig.all(), inactive);
        jobs.forEach(job -> job.validate(config));
        return SluiceSettings.from(config, jobs, environment);
    }

    private static String defaultOf(String key) {
        return SluiceConfig.APPLICATION.keys().stream()
                .filter(k -> k.name().equals(key))
                .findFirst()
                .orElseThrow()
                .defaultValue();
    }

    /**
     * The properties of {@code file} (none when null) with {@code overrides} ({@code key=value}) applied.
     *
     * @throws ConfigException for an unreadable file or an override without '='
     */
    public static Properties properties(Path file, List<String> overrides) {
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
