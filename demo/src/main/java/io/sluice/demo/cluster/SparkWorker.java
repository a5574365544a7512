package io.sluice.demo.cluster;

import io.sluice.demo.server.ChildProcess;
import io.sluice.demo.server.ChildServer;
import io.sluice.demo.server.Ports;
import io.sluice.demo.server.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Spark standalone worker ({@code org.apache.spark.deploy.worker.Worker}) as a child JVM on 127.0.0.1, registered
 * with every master. The executors and the drivers it launches are its child processes (they exit when it dies:
 * Spark's worker watcher), with their logs under its work directory.
 */
public final class SparkWorker extends ChildServer {
    private final String name;
    private final Path dir;
    private final SparkHome home;
    private final List<String> properties;
    private final Supplier<String> masterUrl;
    private final int cores;
    private final String memory;
    private final int port;
    private final int webPort;

    SparkWorker(
            String name,
            Path dir,
            SparkHome home,
            List<String> properties,
            Supplier<String> masterUrl,
            int cores,
            String memory) {
        this.name = name;
        this.dir = dir;
        this.home = home;
        this.properties = List.copyOf(properties);
        this.masterUrl = masterUrl;
        this.cores = cores;
        this.memory = memory;
        Ports ports = Ports.in(dir);
        this.port = ports.get("rpc");
        this.webPort = ports.get("web");
    }

    public String name() {
        return name;
    }

    /** {@code 127.0.0.1:port}: how the masters' JSON names this worker's host and port. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String webUrl() {
        return "http://127.0.0.1:" + webPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean processAlive() {
        return process != null && process.isAlive();
    }

    /** Where the worker keeps each executor's and driver's directory and logs. */
    public Path workDir() {
        return dir.resolve("work");
    }

    @Override
    protected void launch() throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", home.log4jOption()));
        jvm.addAll(properties);
        Path log = dir.resolve("worker.log");
        long earlier = java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0; // a restart appends
        process = ChildProcess.start(
                "spark-" + name,
                RuntimeClasspath.exitWithParent() + File.pathSeparator + home.classpath(),
                jvm,
                RuntimeClasspath.EXIT_WITH_PARENT,
                List.of(
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--webui-port",
                        Integer.toString(webPort),
                        "--cores",
                        Integer.toString(cores),
                        "--memory",
                        memory,
                        "--work-dir",
                        workDir().toString(),
                        masterUrl.get()),
                log,
                home.environment());
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

    @Override
    public String toString() {
        return name + " " + address() + " (UI " + webUrl() + ", pid " + (process == null ? "-" : pid()) + ")";
    }
}
