package io.sluice.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;

/**
 * A real HBase (master, region server and ZooKeeper in one child JVM, data on the local disk under a directory that
 * survives restarts) on 127.0.0.1. A child process because HBase's classes bring Hadoop 3.4, which cannot share a
 * JVM with Spark's Hadoop 3.3 and S3A (STACK.md). Starts in 15-35 s; its heap is 1.5 GB unless the caller gives another.
 */
public final class EmbeddedHBase extends ChildServer {
    /** The heap of the tests' and the demo's HBase. */
    public static final int DEFAULT_HEAP_MB = 1536;

    private final Path dir;
    private final int zookeeperPort;
    private final int heapMb;

    private EmbeddedHBase(Path dir, int heapMb) {
        this.dir = dir;
        this.zookeeperPort = Ports.in(dir).get("zookeeper");
        this.heapMb = heapMb;
    }

    public static EmbeddedHBase start(Path dir) throws IOException {
        return start(dir, DEFAULT_HEAP_MB);
    }

    /** An HBase whose JVM has {@code heapMb} of heap (the benchmark's load needs more than the tests'). */
    public static EmbeddedHBase start(Path dir, int heapMb) throws IOException {
        EmbeddedHBase hbase = new EmbeddedHBase(dir, heapMb);
        hbase.launch();
        return hbase;
    }

    public String zookeeperQuorum() {
        return "127.0.0.1";
    }

    public int zookeeperPort() {
        return zookeeperPort;
    }

    /** A client configuration that fails within about a minute instead of retrying for long (STACK.md). */
    public Configuration clientConfiguration() {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", zookeeperQuorum());
        conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
        conf.setInt("hbase.client.retries.number", 5);
        conf.setInt("hbase.client.operation.timeout", 60_000);
        conf.setInt("zookeeper.recovery.retry", 2);
        return conf;
    }

    @Override
    protected void launch() throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("hbase.log");
        // a restart appends to the log of the runs before: only its own READY counts
        long from = Files.exists(log) ? Files.size(log) : 0;
        process = ChildProcess.start(
                "hbase",
                RuntimeClasspath.of("hbase"),
                List.of("-Xmx" + heapMb + "m", "-Dlog4j2.configurationFile=" + writeLogConfig()),
                "io.sluice.runtime.hbase.HBaseStandaloneMain",
                List.of(dir.resolve("data").toString(), Integer.toString(zookeeperPort)),
                log);
        process.awaitReady(Duration.ofSeconds(180), () -> process.logContains("READY " + zookeeperPort, from));
    }

    private Path writeLogConfig() throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rootLogger.level = warn",
                        "rootLogger.appenderRef.out.ref = out",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
                        ""));
        return file;
    }

    @Override
    public String toString() {
        return "HBase with ZooKeeper at 127.0.0.1:" + zookeeperPort;
    }
}
