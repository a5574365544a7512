package io.sluice.driver;

import io.sluice.driver.config.ConfigException;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.runtime.DriverRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The driver's main class, for {@code spark-submit --class io.sluice.driver.SluiceDriver sluice-driver-app.jar
 * --config sluice.properties}. Validates the configuration before any SparkContext exists; exits 2 on a bad
 * property (one line naming it), 1 when the pipeline fails, 0 after a clean stop (SIGTERM).
 */
@Command(
        name = "sluice-driver",
        mixinStandardHelpOptions = true,
        description = "Runs the Sluice streaming pipeline (Kafka -> HBase + archive, exactly once).")
public final class SluiceDriver implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceDriver.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (sluice.* and spark.* keys).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one property (repeatable).")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SluiceDriver());
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("sluice-driver: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        try {
            settings = SettingsLoader.load(config, overrides);
        } catch (ConfigException e) {
            System.err.println("sluice-driver: " + e.getMessage());
            return 2;
        }
        DriverRuntime runtime = new DriverRuntime(settings, new SparkConf());
        try {
            runtime.start();
            runtime.awaitTermination();
            return 0;
        } catch (Exception e) {
            LOG.error("pipeline failed; stopping without committing further batches", e);
            runtime.stop(false);
            return 1;
        }
    }
}
