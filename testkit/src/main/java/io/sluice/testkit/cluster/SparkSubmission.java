package io.sluice.testkit.cluster;

import io.sluice.testkit.server.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sluice submitted the production way: {@code org.apache.spark.deploy.SparkSubmit} from the assembled Spark home, with
 * the shaded application jar and the driver's properties file, in client mode (this process is the driver, to be
 * supervised from outside as Marathon does) or in cluster mode (a worker runs the driver; with {@code --supervise}
 * the master relaunches it when it fails or its worker is lost). The JDK 17 module flags reach every driver and
 * executor JVM through {@code spark.driver.extraJavaOptions} and {@code spark.executor.extraJavaOptions}.
 */
public final class SparkSubmission {
    public static final String MAIN_CLASS = "io.sluice.driver.SluiceDriver";
    private static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";

    public enum DeployMode {
        CLIENT,
        CLUSTER;

        String argument() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private SparkSubmission() {}

    /** The arguments of {@code spark-submit}, the application's own ({@code --config FILE}) last. */
    public static List<String> arguments(
            String master, DeployMode mode, boolean supervise, Path config, Path applicationJar) {
        String jdk17 = String.join(" ", ChildProcess.JDK17_FLAGS);
        List<String> args = new ArrayList<>(List.of("--master", master, "--deploy-mode", mode.argument()));
        if (supervise) {
            args.add("--supervise");
        }
        args.addAll(List.of(
                "--name",
                applicationName(config),
                "--class",
                MAIN_CLASS,
                "--properties-file",
                config.toAbsolutePath().toString(),
                "--conf",
                "spark.driver.extraJavaOptions=" + jdk17,
                "--conf",
                "spark.executor.extraJavaOptions=" + jdk17,
                applicationJar.toAbsolutePath().toString(),
                "--config",
                config.toAbsolutePath().toString()));
        return args;
    }

    /** {@code sluice-<sluice.app.name>}, the name the driver gives itself (spark-submit would use the class name). */
    static String applicationName(Path config) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(config)) {
            p.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + config, e);
        }
        return "sluice-" + p.getProperty("sluice.app.name", "app");
    }

    /**
     * Runs {@code spark-submit} as a child JVM writing to {@code log}. In client mode it is the driver and runs until
     * the driver stops; in cluster mode it returns once the master accepted the driver.
     */
    public static ChildProcess start(
            String master, DeployMode mode, boolean supervise, Path config, Path log, List<String> jvmOptions)
            throws IOException {
        SparkHome home = SparkHome.assembled();
        return ChildProcess.start(
                "spark-submit-" + mode.argument(),
                home.classpath(),
                jvmOptions(home, jvmOptions),
                SPARK_SUBMIT,
                arguments(master, mode, supervise, config, SparkHome.applicationJar()),
                log,
                withReceiverToken(home.environment()));
    }

    /** A client-mode driver runs in spark-submit's JVM: it reads the receivers' token from this environment. */
    private static Map<String, String> withReceiverToken(Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(io.sluice.testkit.server.ReceiverToken.environment());
        return all;
    }

    /** The same, in the foreground of a terminal: output and Ctrl-C shared with this process. */
    public static ProcessBuilder foreground(
            String master, DeployMode mode, boolean supervise, Path config, List<String> jvmOptions) {
        SparkHome home = SparkHome.assembled();
        ProcessBuilder builder = new ProcessBuilder(ChildProcess.command(
                home.classpath(),
                jvmOptions(home, jvmOptions),
                SPARK_SUBMIT,
                arguments(master, mode, supervise, config, SparkHome.applicationJar())));
        builder.environment().putAll(home.environment());
        return builder.inheritIO();
    }

    private static List<String> jvmOptions(SparkHome home, List<String> extra) {
        List<String> jvm = new ArrayList<>(List.of(home.log4jOption()));
        jvm.addAll(extra);
        return jvm;
    }

    /**
     * Kills a driver submitted in cluster mode (a supervised one too: the master does not relaunch a killed driver),
     * through Spark's standalone client ({@code org.apache.spark.deploy.Client kill MASTER DRIVER_ID}).
     */
    public static ChildProcess kill(String master, String driverId, Path log) throws IOException {
        SparkHome home = SparkHome.assembled();
        return ChildProcess.start(
                "spark-kill-" + driverId,
                home.classpath(),
                List.of("-Xmx256m", home.log4jOption()),
                "org.apache.spark.deploy.Client",
                List.of("kill", master, driverId),
                log,
                home.environment());
    }
}
