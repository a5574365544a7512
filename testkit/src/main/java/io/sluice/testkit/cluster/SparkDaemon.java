package io.sluice.testkit.cluster;

import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.ChildServer;
import io.sluice.testkit.server.Ports;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark standalone daemon (master or worker) as a child JVM on 127.0.0.1 from the assembled Spark home: its RPC
 * and web UI ports (remembered in its directory, so a restart listens where clients expect it), its log, and the
 * launch through {@link RuntimeClasspath#EXIT_WITH_PARENT} so it never outlives its parent.
 */
abstract class SparkDaemon extends ChildServer {
    private final String name;
    protected final Path dir;
    private final SparkHome home;
    private final List<String> properties;
    protected final int port;
    protected final int webPort;

    SparkDaemon(String name, Path dir, SparkHome home, List<String> properties) {
        this.name = name;
        this.dir = dir;
        this.home = home;
        this.properties = List.copyOf(properties);
        Ports ports = Ports.in(dir);
        this.port = ports.get("rpc");
        this.webPort = ports.get("web");
    }

    public String name() {
        return name;
    }

    /** {@code 127.0.0.1:port}: an element of the {@code spark://} URL (master), the masters' name for it (worker). */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String webUrl() {
        return "http://127.0.0.1:" + webPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Starts {@code mainClass --host 127.0.0.1 --port P --webui-port W args...}, its output appended to {@code log}. */
    protected void start(String mainClass, List<String> args, Path log) throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", home.log4jOption()));
        jvm.addAll(properties);
        List<String> all = new ArrayList<>(List.of(
                mainClass,
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(webPort)));
        all.addAll(args);
        process = ChildProcess.start(
                "spark-" + name,
                RuntimeClasspath.exitWithParent() + File.pathSeparator + home.classpath(),
                jvm,
                RuntimeClasspath.EXIT_WITH_PARENT,
                all,
                log,
                home.environment());
    }

    @Override
    public String toString() {
        return name + " " + address() + " (UI " + webUrl() + ", pid " + (process == null ? "-" : pid()) + ")";
    }
}
