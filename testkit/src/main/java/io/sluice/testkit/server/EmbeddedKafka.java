package io.sluice.testkit.server;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker (3.4.1, one node) as a child process on 127.0.0.1, its log under a directory: the storage is
 * kept, so {@link #restart()} and later runs keep every record. {@link #kill()} is {@code kill -9}.
 *
 * <p>{@link #start} runs KRaft (broker and controller in one node) with a PLAINTEXT listener. {@link #startSecured}
 * runs a broker whose only listener is SASL_SSL: TLS with a certificate made for the run ({@link KafkaTls}), clients
 * authenticated with SCRAM-SHA-512 (users added with {@link #addScramUser}). Kafka 3.4 keeps SCRAM credentials only
 * in ZooKeeper (KRaft gained them in 3.5), so that broker runs in ZooKeeper mode, under a chroot of its own; the
 * broker itself and the test's admin client authenticate with SASL/PLAIN, whose one user is in the broker's JAAS
 * configuration.
 */
public final class EmbeddedKafka extends ChildServer {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Listener listener;

    private EmbeddedKafka(Path dir, Listener listener) {
        this.dir = dir;
        Ports ports = Ports.in(dir);
        this.port = ports.get("broker");
        this.controllerPort = ports.get("controller");
        this.listener = listener;
    }

    public static EmbeddedKafka start(Path dir) throws IOException {
        EmbeddedKafka kafka = new EmbeddedKafka(dir, new Plaintext());
        kafka.launch();
        return kafka;
    }

    /**
     * Starts a broker that clients reach over TLS with SASL/SCRAM only (see the class comment), its metadata in
     * {@code zookeeper} under {@code /kafka-<directory name>}.
     */
    public static EmbeddedKafka startSecured(Path dir, String zookeeper) throws IOException {
        Files.createDirectories(dir);
        String chroot = "/kafka-" + dir.getFileName().toString().replaceAll("[^A-Za-z0-9_-]", "_");
        EmbeddedKafka kafka = new EmbeddedKafka(
                dir,
                new SaslSsl(zookeeper + chroot, KafkaTls.generate(dir.resolve("tls")), "admin-" + UUID.randomUUID()));
        kafka.launch();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's log file (what it printed). */
    public Path log() {
        return dir.resolve("kafka.log");
    }

    /** The TLS material of a secured broker. */
    public KafkaTls tls() {
        return secured().tls();
    }

    /** Adds (or changes) a SCRAM-SHA-512 user of a secured broker, and returns once the broker knows it. */
    public void addScramUser(String user, String password) throws Exception {
        secured();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all()
                    .get();
            process.awaitReady(Duration.ofSeconds(30), () -> {
                try {
                    return admin.describeUserScramCredentials(List.of(user))
                            .all()
                            .get()
                            .containsKey(user);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * What a client of a secured broker needs besides the bootstrap servers to authenticate as {@code user}: SASL_SSL,
     * SCRAM-SHA-512, the JAAS line with the password, the trust store and its password.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        KafkaTls tls = tls();
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", scramJaas(user, password));
        p.put("ssl.truststore.location", tls.truststore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", tls.truststorePassword());
        return p;
    }

    /** The JAAS line a SCRAM client logs in with. */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private SaslSsl secured() {
        if (listener instanceof SaslSsl s) {
            return s;
        }
        throw new IllegalStateException(this + " is not secured: start it with startSecured");
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
        List<String> jvm = List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + listener.logLevel());
        if (listener instanceof Plaintext && !Files.exists(dir.resolve("logs/meta.properties"))) {
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
        Map<String, Object> p = new HashMap<>(listener.adminProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        listener.configure(p, port, controllerPort);
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
            p.store(out, "single-node broker on 127.0.0.1");
        }
        return file;
    }

    /** How the broker listens and how the test's admin client reaches it. */
    private sealed interface Listener permits Plaintext, SaslSsl {
        void configure(Properties broker, int port, int controllerPort);

        Map<String, Object> adminProperties();

        String logLevel();
    }

    /** KRaft, PLAINTEXT. */
    private record Plaintext() implements Listener {
        @Override
        public void configure(Properties p, int port, int controllerPort) {
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }

        @Override
        public Map<String, Object> adminProperties() {
            return Map.of();
        }

        @Override
        public String logLevel() {
            return "warn";
        }
    }

    /**
     * ZooKeeper mode, one SASL_SSL listener: SCRAM-SHA-512 for clients, PLAIN for the broker itself and the admin.
     * Logs at INFO, so a test that looks for a leaked secret reads everything the broker says about its settings.
     */
    private record SaslSsl(String zookeeper, KafkaTls tls, String adminPassword) implements Listener {
        @Override
        public void configure(Properties p, int port, int controllerPort) {
            p.setProperty("broker.id", "1");
            p.setProperty("zookeeper.connect", zookeeper);
            p.setProperty("listeners", "SASL_SSL://127.0.0.1:" + port);
            p.setProperty("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
            p.setProperty("inter.broker.listener.name", "SASL_SSL");
            p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
            p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.setProperty(
                    "listener.name.sasl_ssl.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                            + adminPassword + "\" user_admin=\"" + adminPassword + "\";");
            p.setProperty(
                    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.setProperty("ssl.keystore.location", tls.keystore().toString());
            p.setProperty("ssl.keystore.type", "PKCS12");
            p.setProperty("ssl.keystore.password", tls.keystorePassword());
            p.setProperty("ssl.key.password", tls.keystorePassword());
            p.setProperty("ssl.truststore.location", tls.truststore().toString());
            p.setProperty("ssl.truststore.type", "PKCS12");
            p.setProperty("ssl.truststore.password", tls.truststorePassword());
            p.setProperty("ssl.client.auth", "none");
        }

        @Override
        public Map<String, Object> adminProperties() {
            return Map.of(
                    "security.protocol",
                    "SASL_SSL",
                    "sasl.mechanism",
                    "PLAIN",
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\""
                            + " password=\"" + adminPassword + "\";",
                    "ssl.truststore.location",
                    tls.truststore().toString(),
                    "ssl.truststore.type",
                    "PKCS12",
                    "ssl.truststore.password",
                    tls.truststorePassword());
        }

        @Override
        public String logLevel() {
            return "info";
        }

        @Override
        public String toString() {
            return "SASL_SSL via " + zookeeper;
        }
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers() + (listener instanceof SaslSsl ? " (SASL_SSL)" : "");
    }
}
