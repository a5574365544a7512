package io.sluice.it.support;

import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.ReceiverToken;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Sluice driver in its own JVM, as {@code spark-submit} would run it ({@code SluiceDriver --config FILE}), so
 * that fault tests can {@code kill -9} it. Runs on this module's test classpath (written by the build to
 * {@code target/classpath.txt}).
 */
public final class DriverProcess {
    private DriverProcess() {}

    public static ChildProcess start(Path config, Path log) throws IOException {
        return start(config, log, List.of());
    }

    /** As {@link #start(Path, Path)}, with extra JVM options (e.g. a test-only fault point, {@code -Dsluice.test.*}). */
    public static ChildProcess start(Path config, Path log, List<String> jvmOptions) throws IOException {
        return start(config, log, jvmOptions, java.util.Map.of());
    }

    /** As {@link #start(Path, Path, List)}, with {@code environment} added to the driver's (its secrets). */
    public static ChildProcess start(
            Path config, Path log, List<String> jvmOptions, java.util.Map<String, String> environment)
            throws IOException {
        return command(
                "sluice-driver",
                "io.sluice.driver.SluiceDriver",
                List.of("--config", config.toString()),
                log,
                jvmOptions,
                environment);
    }

    /**
     * Another Sluice command ({@code mainClass} with {@code args}) in a child JVM of its own, as {@code ./bin/sluice}
     * runs it, so that a test can {@code kill -9} it too.
     */
    public static ChildProcess command(
            String name,
            String mainClass,
            List<String> args,
            Path log,
            List<String> jvmOptions,
            java.util.Map<String, String> environment)
            throws IOException {
        Path module = RuntimeClasspath.home().resolve("src/test");
        String classpath = module.resolve("target/test-classes")
                + java.io.File.pathSeparator
                + read(module.resolve("target/classpath.txt"));
        return ChildProcess.start(
                name,
                classpath,
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(
                                        "-Xmx768m",
                                        "-Dlog4j2.configurationFile="
                                                + module.resolve("target/test-classes/log4j2-test.properties")),
                                jvmOptions.stream())
                        .toList(),
                mainClass,
                args,
                log,
                withReceiverToken(environment));
    }

    /** The environment given, and the receivers' token, as an operator's secret: never in the file. */
    private static java.util.Map<String, String> withReceiverToken(java.util.Map<String, String> environment) {
        java.util.Map<String, String> all = new java.util.HashMap<>(ReceiverToken.environment());
        all.putAll(environment);
        return all;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + file + ": build with mvn -B verify", e);
        }
    }
}
