package io.sluice.driver.cli;

import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --config FILE} and {@code --set KEY=VALUE} options every Sluice command reads its settings from. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (sluice.* and spark.* keys).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one property (repeatable).")
    List<String> overrides = new ArrayList<>();

    /** The validated settings. @throws ConfigException naming the bad key */
    public SluiceSettings load() {
        return SettingsLoader.load(config, overrides);
    }
}
