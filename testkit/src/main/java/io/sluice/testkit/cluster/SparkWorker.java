package io.sluice.testkit.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Spark standalone worker ({@code org.apache.spark.deploy.worker.Worker}) as a child JVM on 127.0.0.1, registered
 * with every master. The executors and the drivers it launches are its child processes (they exit when it dies:
 * Spark's worker watcher), with their logs under its work directory.
 */
public final class SparkWorker extends SparkDaemon {
    private final Supplier<String> masterUrl;
    private final int cores;
    private final String memory;

    SparkWorker(
            String name,
            Path dir,
            SparkHome home,
            List<String> properties,
            Supplier<String> masterUrl,
            int cores,
            String memory) {
        super(name, dir, home, properties);
        this.masterUrl = masterUrl;
        this.cores = cores;
        this.memory = memory;
    }

    /** Where the worker keeps each executor's and driver's directory and logs. */
    public Path workDir() {
        return dir.resolve("work");
    }

    @Override
    protected void launch() throws IOException {
        Path log = dir.resolve("worker.log");
        long earlier = Files.exists(log) ? Files.size(log) : 0; // a restart appends to the log
        start(
                "org.apache.spark.deploy.worker.Worker",
                List.of(
                        "--cores",
                        Integer.toString(cores),
                        "--memory",
                        memory,
                        "--work-dir",
                        workDir().toString(),
                        masterUrl.get()),
                log);
        process.awaitReady(
                Duration.ofSeconds(90), () -> process.logContains("Successfully registered with master", earlier));
    }

    /** The executor JVMs this worker runs now ({@code CoarseGrainedExecutorBackend}). */
    public List<ProcessHandle> executors() {
        return children("CoarseGrainedExecutorBackend");
    }

    /** The driver JVMs this worker runs now (cluster mode: {@code DriverWrapper}). */
    public List<ProcessHandle> drivers() {
        return children("org.apache.spark.deploy.worker.DriverWrapper");
    }

    private List<ProcessHandle> children(String mainClass) {
        if (process == null || !process.isAlive()) {
            return List.of();
        }
        return process.descendants()
                .filter(p -> p.isAlive()
                        && p.info()
                                .commandLine()
                                .map(c -> c.contains(mainClass))
                                .orElse(false))
                .toList();
    }
}
