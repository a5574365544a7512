package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.source.KafkaSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 1: Kafka consumer properties pass through {@code sluice.kafka.consumer.*}, checked against Kafka's
 * own definitions; a secret comes from the environment or a Hadoop credential provider, never from the file in clear;
 * every refusal is one line naming the key, and never shows a secret.
 */
class KafkaSecurityConfigTest {
    private static final String P = SluiceConfig.KAFKA_CONSUMER;

    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put(SluiceConfig.ZK_CONNECT, "127.0.0.1:2181");
        p.put(SluiceConfig.KAFKA_BOOTSTRAP, "127.0.0.1:9093");
        p.put(SluiceConfig.KAFKA_TOPICS, "events");
        p.put(SluiceConfig.CHECKPOINT_DIR, "hdfs://nn:8020/sluice/checkpoint");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "hdfs://nn:8020/archive");
        return p;
    }

    private static ConfigException refused(Map<String, String> p) {
        try {
            SettingsLoader.load(p);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).as("one line").doesNotContain("\n");
            return e;
        }
        throw new AssertionError("accepted " + p.keySet());
    }

    @Test
    void consumerPropertiesPassThroughToEveryKafkaClient() {
        Map<String, String> p = minimal();
        p.put(P + "security.protocol", "SASL_SSL");
        p.put(P + "sasl.mechanism", "SCRAM-SHA-512");
        p.put(P + "ssl.truststore.location", "/etc/sluice/truststore.p12");
        p.put(P + "request.timeout.ms", "20000");
        SluiceSettings s = SettingsLoader.load(p);
        assertThat(KafkaSource.consumerParams(s.kafka()))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/sluice/truststore.p12")
                .containsEntry("request.timeout.ms", "20000")
                .containsEntry("bootstrap.servers", "127.0.0.1:9093");
    }

    @Test
    void anUnknownConsumerPropertyIsRefusedNamingIt() {
        Map<String, String> p = minimal();
        p.put(P + "sasl.mechanisms", "PLAIN");
        assertThat(refused(p))
                .hasMessage(P + "sasl.mechanisms: sasl.mechanisms is not a Kafka consumer property (see Kafka's"
                        + " ConsumerConfig)");
    }

    @Test
    void aMalformedValueIsRefusedWithKafkasReason() {
        Map<String, String> p = minimal();
        p.put(P + "request.timeout.ms", "20s");
        assertThat(refused(p))
                .hasMessageStartingWith(P + "request.timeout.ms: ")
                .hasMessageContaining("20s");
        Map<String, String> q = minimal();
        q.put(P + "security.protocol", "SASL_TLS");
        assertThat(refused(q)).hasMessageStartingWith(P + "security.protocol: ").hasMessageContaining("SASL_TLS");
    }

    @Test
    void aSecretInClearIsRefusedNamingTheKeyAndNotTheValue() {
        for (String key : List.of(
                "sasl.jaas.config",
                "ssl.truststore.password",
                "ssl.keystore.password",
                "ssl.key.password",
                "ssl.keystore.key")) {
            Map<String, String> p = minimal();
            p.put(P + key, "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"hunter2\";");
            assertThat(refused(p))
                    .hasMessageStartingWith(P + key + ": a secret is never read from the properties in clear")
                    .hasMessageContaining(P + key + ".env=VARIABLE")
                    .hasMessageContaining(P + key + ".credential=ALIAS")
                    .message()
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void propertiesSluiceSetsItselfAreRefused() {
        Map<String, String> p = minimal();
        p.put(P + "bootstrap.servers", "elsewhere:9092");
        assertThat(refused(p))
                .hasMessage(P + "bootstrap.servers: set by Sluice (set " + SluiceConfig.KAFKA_BOOTSTRAP + ")");
        Map<String, String> q = minimal();
        q.put(P + "enable.auto.commit", "true");
        assertThat(refused(q)).hasMessageStartingWith(P + "enable.auto.commit: set by Sluice");
    }

    @Test
    void aReferenceIsOnlyForSecrets() {
        Map<String, String> p = minimal();
        p.put(P + "ssl.truststore.location.env", "TRUSTSTORE");
        assertThat(refused(p))
                .hasMessage(P + "ssl.truststore.location.env: ssl.truststore.location is not a secret, give it as " + P
                        + "ssl.truststore.location=VALUE");
        Map<String, String> q = minimal();
        q.put(P + "sasl.jaas.config.env", "HOME");
        q.put(P + "sasl.jaas.config.credential", "kafka.jaas");
        assertThat(refused(q)).hasMessageContaining("is given twice");
    }

    @Test
    void aSecretComesFromTheDriversEnvironmentAndIsNeverPrinted() {
        String name = System.getenv().containsKey("HOME") ? "HOME" : "PATH";
        String value = System.getenv(name);
        Map<String, String> p = minimal();
        p.put(P + "sasl.jaas.config.env", name);
        SluiceSettings s = SettingsLoader.load(p);
        assertThat(KafkaSource.consumerParams(s.kafka())).containsEntry("sasl.jaas.config", value);
        assertThat(s.kafka().secrets().withoutValues().values()).isEmpty();
        assertThat(s.toString()).doesNotContain(value);
        assertThat(s.kafka().toString()).doesNotContain(value).contains(name);
    }

    @Test
    void aMissingEnvironmentVariableIsNamed() {
        Map<String, String> p = minimal();
        p.put(P + "sasl.jaas.config.env", "SLUICE_TEST_SURELY_UNSET_VARIABLE");
        assertThat(refused(p))
                .hasMessage(P + "sasl.jaas.config.env: the environment variable SLUICE_TEST_SURELY_UNSET_VARIABLE"
                        + " is not set");
    }

    @Test
    void aSecretComesFromAHadoopCredentialProvider(@TempDir Path dir) throws Exception {
        String providers = "localjceks://file" + dir.resolve("kafka.jceks");
        Configuration conf = new Configuration(false);
        conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, providers);
        CredentialProvider provider =
                CredentialProviderFactory.getProviders(conf).get(0);
        provider.createCredentialEntry("kafka.truststore.password", "s3cr3t-trust".toCharArray());
        provider.flush();

        Map<String, String> p = minimal();
        p.put("spark.hadoop.hadoop.security.credential.provider.path", providers);
        p.put(P + "ssl.truststore.password.credential", "kafka.truststore.password");
        SluiceSettings s = SettingsLoader.load(p);
        assertThat(KafkaSource.consumerParams(s.kafka())).containsEntry("ssl.truststore.password", "s3cr3t-trust");

        p.put(P + "ssl.truststore.password.credential", "kafka.other");
        assertThat(refused(p))
                .hasMessage(P + "ssl.truststore.password.credential: no credential kafka.other in"
                        + " hadoop.security.credential.provider.path (" + providers + ")");
        p.remove("spark.hadoop.hadoop.security.credential.provider.path");
        assertThat(refused(p)).hasMessageContaining("spark.hadoop.hadoop.security.credential.provider.path");
    }

    @Test
    void pushIngestionIgnoresTheConsumerProperties() {
        Map<String, String> p = minimal();
        p.put(SluiceConfig.SOURCE, "http");
        p.put(SluiceConfig.JOBS, "archive,event-store");
        p.put(SluiceConfig.HTTP_ALLOW_ANONYMOUS, "true"); // receivers' security is not what this test is about
        p.put(SluiceConfig.HTTP_PLAIN, "true");
        p.put(P + "security.protocol", "SASL_SSL");
        assertThat(SettingsLoader.load(p).kafka()).isNull();
    }
}
