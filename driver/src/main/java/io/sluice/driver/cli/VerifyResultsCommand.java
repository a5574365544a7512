package io.sluice.driver.cli;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.ResultsCheck;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice verify-results}: recounts the archive with Spark and compares it with the results table. */
@Command(
        name = "sluice verify-results",
        mixinStandardHelpOptions = true,
        description = "Recounts an archive root (a Spark batch job) and compares every count and top row of the"
                + " results table with it. Exit 0: exact; 1: differences (listed); 2: bad arguments.")
public final class VerifyResultsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--archive-root",
            paramLabel = "URI",
            description = "Archive root to recount (default: the first of sluice.job.archive.roots).")
    String archiveRoot;

    @Option(names = "--master", description = "Spark master of the recount. Default ${DEFAULT-VALUE}.")
    String master = "local[2]";

    public static void main(String[] args) {
        System.exit(Commands.execute(new VerifyResultsCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        try {
            settings = options.load();
        } catch (ConfigException e) {
            System.err.println("sluice verify-results: " + e.getMessage());
            return 2;
        }
        String root = archiveRoot != null
                ? archiveRoot
                : settings.pipeline().archiveRoots().get(0);
        SparkConf conf = new SparkConf().setIfMissing("spark.master", master).setAppName("sluice-verify-results");
        settings.sparkProperties().forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                conf.set(k, v);
            }
        });
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            ResultsCheck.Report report = ResultsCheck.run(settings, sc, root);
            report.differences().forEach(d -> System.out.println("difference: " + d));
            System.out.println("verify-results: " + root + ": " + report.summary());
            return report.exact() ? 0 : 1;
        }
    }
}
