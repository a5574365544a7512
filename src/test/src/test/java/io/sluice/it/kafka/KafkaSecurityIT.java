package io.sluice.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.junit.ZooKeeperExtension;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.EmbeddedKafka;
import io.sluice.testkit.server.RuntimeClasspath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18, item 1: a broker reached only over TLS with SASL/SCRAM. The driver (its own JVM, its secrets from its
 * environment and a Hadoop credential store) reads it exactly; with a wrong password it stops at start with one line
 * naming the property; no log the run wrote (both drivers', the broker's, Spark's event log) holds a secret.
 */
@RealServers
class KafkaSecurityIT {
    private static final long EVENTS = 3_000;
    private static final String P = "sluice.kafka.consumer.";
    private static final String JAAS_ENV = "SLUICE_KAFKA_JAAS";

    @Test
    @Timeout(600)
    void aTlsAndScramBrokerIsReadExactlyAndAWrongPasswordStopsTheStartNamingTheKey() throws Exception {
        Path work =
                RuntimeClasspath.home().resolve("src/test/target/it-work/kafka-security-" + System.currentTimeMillis());
        String password = "scram-" + UUID.randomUUID();
        String wrong = "wrong-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.startSecured(
                work.resolve("kafka"), ZooKeeperExtension.server().connectString())) {
            kafka.addScramUser("sluice", password);
            PipelineScenario scenario = Scenarios.onSharedServers("kafka-security", 2, false, kafka)
                    .kafkaClient(kafka.clientProperties("sluice", password));
            EventGenerator generator = new EventGenerator(18, 0.03, 0.02);
            scenario.produce(generator, 0, EVENTS, 0); // through the secured listener too

            // the driver's properties: TLS and SASL in clear, the secrets by reference only
            String providers = "localjceks://file" + work.resolve("kafka.jceks");
            store(
                    providers,
                    Map.of(
                            "kafka.truststore.password", kafka.tls().truststorePassword(),
                            "kafka.jaas", EmbeddedKafka.scramJaas("sluice", password)));
            scenario.set(P + "security.protocol", "SASL_SSL")
                    .set(P + "sasl.mechanism", "SCRAM-SHA-512")
                    .set(P + "ssl.truststore.location", kafka.tls().truststore().toString())
                    .set(P + "ssl.truststore.type", "PKCS12")
                    .set(P + "ssl.truststore.password.credential", "kafka.truststore.password")
                    .set(P + "sasl.jaas.config.env", JAAS_ENV)
                    .set("spark.hadoop.hadoop.security.credential.provider.path", providers)
                    .set("spark.eventLog.enabled", "true")
                    .set("spark.eventLog.dir", work.resolve("event-log").toUri().toString());
            Files.createDirectories(work.resolve("event-log"));
            Path config = scenario.writeConfig(work);
            // this JVM's own reads of the settings (archive, results) take the JAAS line from the credential store
            scenario.properties().remove(P + "sasl.jaas.config.env");
            scenario.set(P + "sasl.jaas.config.credential", "kafka.jaas");
            List<String> verbose = List.of("-Dlog4j2.configurationFile=" + verboseLogging(work));

            ChildProcess refused = DriverProcess.start(
                    config,
                    work.resolve("driver-wrong-password.log"),
                    verbose,
                    Map.of(JAAS_ENV, EmbeddedKafka.scramJaas("sluice", wrong)));
            assertThat(refused.awaitExit(Duration.ofMinutes(2)))
                    .as("the driver with a wrong password exits 2: %s", refused.tail())
                    .hasValue(2);
            List<String> named = Files.readAllLines(refused.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("sluice-driver: "))
                    .toList();
            assertThat(named)
                    .singleElement()
                    .asString()
                    .startsWith("sluice-driver: " + P + "sasl.jaas.config.env: the Kafka brokers refused the"
                            + " credentials");
            assertThat(scenario.committedRecords()).as("nothing committed").isZero();

            ChildProcess driver = DriverProcess.start(
                    config,
                    work.resolve("driver.log"),
                    verbose,
                    Map.of(JAAS_ENV, EmbeddedKafka.scramJaas("sluice", password)));
            try {
                scenario.awaitFullyCommitted(Duration.ofMinutes(4));
            } finally {
                driver.kill(); // all is committed; a graceful stop in local[2] would wait 30 s for Hadoop's hook
            }
            GroundTruth truth = scenario.groundTruth(generator, EVENTS);
            Scenarios.assertExact(scenario, truth);

            // Kafka did print its settings (hidden), and nowhere a secret
            assertThat(Files.readString(driver.log())).contains("sasl.jaas.config = [hidden]");
            assertThat(Files.readString(kafka.log())).contains("ssl.keystore.password = [hidden]");
            List<Path> logs = new ArrayList<>(List.of(refused.log(), driver.log(), kafka.log()));
            try (Stream<Path> events = Files.list(work.resolve("event-log"))) {
                logs.addAll(events.toList());
            }
            assertThat(logs).hasSizeGreaterThan(3);
            for (Path log : logs) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                assertThat(text).as("%s", log).isNotEmpty();
                for (String secret : List.of(
                        password,
                        wrong,
                        kafka.tls().truststorePassword(),
                        kafka.tls().keystorePassword())) {
                    assertThat(text.contains(secret)).as("a secret in %s", log).isFalse();
                }
            }
        }
    }

    /** A Hadoop credential store (JCEKS file) holding {@code entries}. */
    private static void store(String providers, Map<String, String> entries) throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, providers);
        CredentialProvider provider =
                CredentialProviderFactory.getProviders(conf).get(0);
        for (Map.Entry<String, String> e : entries.entrySet()) {
            provider.createCredentialEntry(e.getKey(), e.getValue().toCharArray());
        }
        provider.flush();
    }

    /** Log4j settings that print everything at INFO (Kafka's client settings included) to the driver's log. */
    private static Path verboseLogging(Path work) throws Exception {
        Path file = work.resolve("log4j2-info.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rootLogger.level = info",
                        "rootLogger.appenderRef.console.ref = console",
                        "appender.console.type = Console",
                        "appender.console.name = console",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1}: %m%n",
                        ""));
        return file;
    }
}
