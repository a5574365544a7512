package io.sluice.testkit.server;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker (3.4.1, KRaft, one node acting as broker and controller) as a child process on 127.0.0.1, its
 * log under a directory: the storage is formatted once, so {@link #restart()} and later runs keep every record.
 * {@link #kill()} is {@code kill -9}.
 */
public final class EmbeddedKafka extends ChildServer {
    private final Path dir;
    private final int port;
    private final int controllerPort;

    private EmbeddedKafka(Path dir) {
        this.dir = dir;
        Ports ports = Ports.in(dir);
        this.port = ports.get("broker");
        this.controllerPort = ports.get("controller");
    }

    public static EmbeddedKafka start(Path dir) throws IOException {
        EmbeddedKafka kafka = new EmbeddedKafka(dir);
        kafka.launch();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Creates a topic with replication 1 (an existing topic is fine) and returns once every partition has a leader:
     * producing into a partition that has none yet can fail the first batch while later ones succeed.
     */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            process.awaitReady(Duration.ofSeconds(60), () -> allPartitionsLed(admin, name));
        }
    }

    private static boolean allPartitionsLed(Admin admin, String topic) {
        try {
            var description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    protected void launch() throws IOException {
        Path config = writeConfig();
        String classpath = RuntimeClasspath.of("kafka");
        List<String> jvm = List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (!Files.exists(dir.resolve("logs/meta.properties"))) {
            ChildProcess format = ChildProcess.start(
                    "kafka-format",
                    classpath,
                    jvm,
                    "kafka.tools.StorageTool",
                    List.of("format", "-t", "MkU3OEVBNTcwNTJENDM2Qk", "-c", config.toString(), "--ignore-formatted"),
                    dir.resolve("format.log"));
            try {
                if (format.awaitExit(Duration.ofSeconds(60)).orElse(-1) != 0) {
                    throw new IOException("formatting Kafka storage failed:\n" + format.tail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        process = ChildProcess.start(
                "kafka",
                RuntimeClasspath.exitWithParent() + java.io.File.pathSeparator + classpath,
                jvm,
                RuntimeClasspath.EXIT_WITH_PARENT,
                List.of("kafka.Kafka", config.toString()),
                dir.resolve("kafka.log"));
        process.awaitReady(Duration.ofSeconds(90), this::answers);
    }

    private boolean answers() {
        try (Admin admin = admin()) {
            return !admin.describeCluster()
                    .nodes()
                    .get(2, java.util.concurrent.TimeUnit.SECONDS)
                    .isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10000));
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", "2097152");
        Files.createDirectories(dir);
        Path file = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "single-node KRaft broker on 127.0.0.1");
        }
        return file;
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers();
    }
}
