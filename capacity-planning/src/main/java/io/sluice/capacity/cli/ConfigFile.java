package io.sluice.capacity.cli;

import io.sluice.capacity.model.Calibration;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a properties file whose keys are the long flag names without the dashes
 * ({@code events-per-second=1000000}, {@code wal=on}, {@code simple=true}), optionally prefixed {@code sluice.plan.};
 * {@code sluice.calibration.events-per-second-per-core} is also accepted, so a calibration file can be merged in.
 * Values serve as defaults: a flag on the command line wins. An unknown key is an error, not ignored.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "sluice.plan.";
    private static final Set<String> NOT_IN_FILE = Set.of("config", "help");

    private final Path file;
    private final Map<String, String> values;

    private ConfigFile(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Reads and checks a config file against the command's options.
     *
     * @throws IllegalArgumentException naming {@code --config} when it cannot be read or has an unknown key
     */
    static ConfigFile load(Path file, CommandSpec spec) {
        Properties properties = read("--config", file);
        Set<String> known = spec.options().stream()
                .map(ConfigFile::key)
                .filter(k -> !NOT_IN_FILE.contains(k))
                .collect(Collectors.toSet());
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.equals(Calibration.KEY)
                    ? "events-per-second-per-core"
                    : name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
            if (!known.contains(key) && name.startsWith("sluice.calibration.")) {
                throw new IllegalArgumentException("--config " + file + ": key '" + name + "' belongs in a"
                        + " calibration file: pass that file with --calibration");
            }
            if (!known.contains(key)) {
                throw new IllegalArgumentException("--config " + file + ": unknown key '" + name + "', expected a flag"
                        + " name without the dashes, e.g. events-per-second");
            }
            values.put(key, properties.getProperty(name).trim());
        }
        return new ConfigFile(file, values);
    }

    /** Reads a properties file (UTF-8); the message names the flag that gave the file. */
    static Properties read(String flag, Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " must be a readable properties file, cannot read '" + file
                    + "': " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return p;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec option ? values.get(key(option)) : null;
    }

    /** Whether this file gave the option's value (for error messages). */
    boolean supplies(OptionSpec option) {
        return values.containsKey(key(option));
    }

    Path file() {
        return file;
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }
}
