package io.sluice.demo.cluster;

import io.sluice.testkit.cluster.SparkSubmission;
import io.sluice.testkit.cluster.SparkSubmission.DeployMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice submit}: the driver submitted with Spark's own {@code spark-submit} path (the assembled Spark
 * home, the shaded application jar, the properties file), to the cluster of {@code cluster up} or any
 * {@code spark://} master.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Submits the Sluice driver with spark-submit (client mode: runs here; cluster mode: on a worker).")
public final class SubmitCommand implements Callable<Integer> {
    @Option(
            names = "--master",
            description = "spark://host:port[,host:port]. Default: the master URL of the cluster in --dir.")
    String master;

    @Option(names = "--deploy-mode", description = "client or cluster. Default ${DEFAULT-VALUE}.")
    String deployMode = "client";

    @Option(
            names = "--supervise",
            description =
                    "Cluster mode: the master relaunches the driver when it exits non-zero or its worker is lost.")
    boolean supervise;

    @Option(names = "--config", required = true, description = "The driver's properties file (sluice.* and spark.*).")
    Path config;

    @Option(names = "--dir", description = "The directory of `cluster up`. Default ${DEFAULT-VALUE}.")
    Path dir = Path.of("cluster-data");

    @Option(
            names = "--driver-memory",
            description = "Client mode: the heap of the driver JVM, e.g. 1g (cluster mode: spark.driver.memory in the"
                    + " properties). Default ${DEFAULT-VALUE}.")
    String driverMemory = "1g";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SubmitCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DeployMode mode;
        try {
            mode = DeployMode.valueOf(deployMode.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("submit: --deploy-mode must be client or cluster, not '" + deployMode + "'");
            return 2;
        }
        if (supervise && mode != DeployMode.CLUSTER) {
            System.err.println("submit: --supervise needs --deploy-mode cluster (in client mode supervise the process"
                    + " itself, as Marathon does)");
            return 2;
        }
        if (!Files.isReadable(config)) {
            System.err.println("submit: --config " + config + " is not a readable file");
            return 2;
        }
        String url = master;
        if (url == null) {
            url = ClusterCommand.masterUrl(dir).orElse(null);
            if (url == null) {
                System.err.println("submit: no --master and no live cluster in " + dir.toAbsolutePath()
                        + " (start one with ./bin/sluice cluster up)");
                return 2;
            }
        }
        System.out.printf(
                "submit: %s mode%s to %s with %s%n", deployMode, supervise ? ", supervised," : "", url, config);
        Process process = SparkSubmission.foreground(
                        url,
                        mode,
                        supervise,
                        config,
                        mode == DeployMode.CLIENT ? List.of("-Xmx" + driverMemory) : List.of())
                .start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                process.waitFor(); // Ctrl-C reached it too: let the driver stop gracefully
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "submit-wait"));
        return process.waitFor();
    }
}
