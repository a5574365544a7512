package io.sluice.driver;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.cli.Commands;
import io.sluice.driver.cli.ConfigOptions;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.ha.DriverNode;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The driver's main class, for {@code spark-submit --class io.sluice.driver.SluiceDriver sluice-driver-app.jar
 * --config sluice.properties}. Validates the configuration before any SparkContext exists; starts the status
 * endpoints, contends for leadership through ZooKeeper and runs the pipeline once it leads ({@link DriverNode}).
 * Exits 2 on a bad property (one line naming it), 1 when the pipeline fails (a newer leader fenced a commit, a sink
 * failed past its retries), 3 when leadership was lost while running, 0 after a clean stop (143 on SIGTERM).
 */
@Command(
        name = "sluice-driver",
        mixinStandardHelpOptions = true,
        description = "Runs the Sluice streaming pipeline (Kafka -> HBase + archive, exactly once).")
public final class SluiceDriver implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceDriver.class);

    @Mixin
    ConfigOptions options = new ConfigOptions();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return Commands.execute(new SluiceDriver(), args);
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        try {
            settings = options.load();
        } catch (ConfigException e) {
            System.err.println("sluice-driver: " + e.getMessage());
            return 2;
        }
        DriverNode node = new DriverNode(settings, new SparkConf());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> node.awaitStopThenClose(), "sluice-leave-election"));
        try {
            return node.run();
        } catch (ConfigException e) { // found on the first contact with a server: credentials Kafka refused
            System.err.println("sluice-driver: " + e.getMessage());
            node.stop(false);
            return 2;
        } catch (Exception e) {
            LOG.error("pipeline failed; stopping without committing further batches", e);
            node.stop(false);
            return 1;
        } finally {
            node.close();
        }
    }
}
