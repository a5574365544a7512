package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 1: the names of Kafka's secret properties are in Spark's redaction pattern, so Spark hides them in
 * its UI and event log (which show the Spark and system properties) even where Spark's own pattern would not.
 */
class SecretRedactionTest {
    /** A value Spark's default pattern does not catch by itself (no "secret", "password", "token" in it). */
    private static final String SECRET = "zq81Lm0vQx";

    @Test
    void theSettingsCarrySparksPatternExtendedByKafkasSecretNames() {
        Map<String, String> p = new HashMap<>();
        p.put(SluiceConfig.ZK_CONNECT, "127.0.0.1:2181");
        p.put(SluiceConfig.KAFKA_BOOTSTRAP, "127.0.0.1:9093");
        p.put(SluiceConfig.KAFKA_TOPICS, "events");
        p.put(SluiceConfig.CHECKPOINT_DIR, "hdfs://nn:8020/sluice/checkpoint");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "hdfs://nn:8020/archive");
        Pattern regex = Pattern.compile(SettingsLoader.load(p).sparkProperties().get(SecretRedaction.KEY));
        for (String name : new String[] {
            "sasl.jaas.config", "SLUICE_KAFKA_SASL_JAAS_CONFIG", "ssl.keystore.key", "ssl.truststore.certificates",
            "ssl.keystore.certificate.chain", "ssl.key.password", "spark.some.secret", "an.access.key"
        }) {
            assertThat(regex.matcher(name).find()).as(name).isTrue();
        }
        assertThat(regex.matcher("ssl.truststore.location").find()).isFalse();

        p.put(SecretRedaction.KEY, "(?i)mine");
        String theirs = SettingsLoader.load(p).sparkProperties().get(SecretRedaction.KEY);
        assertThat(theirs).startsWith("(?i)mine|");
        assertThat(SecretRedaction.extend(theirs)).isEqualTo(theirs);
    }

    @Test
    void sparksEventLogHidesAKafkaSecretOnlyWithTheExtendedPattern(@TempDir Path dir) throws IOException {
        assertThat(eventLog(dir.resolve("default"), null))
                .as("Spark's own pattern misses it: this test can fail")
                .contains(SECRET);
        String extended = eventLog(dir.resolve("extended"), SecretRedaction.extend(null));
        assertThat(extended).doesNotContain(SECRET).contains("SLUICE_KAFKA_SASL_JAAS_CONFIG");
    }

    /** Runs a local SparkContext with a Kafka secret in its properties and returns the event log it wrote. */
    private static String eventLog(Path dir, String redaction) throws IOException {
        Files.createDirectories(dir);
        SparkConf conf = new SparkConf(false)
                .setMaster("local[1]")
                .setAppName("redaction")
                .set("spark.ui.enabled", "false")
                .set("spark.eventLog.enabled", "true")
                .set("spark.eventLog.dir", dir.toUri().toString())
                .set("spark.executorEnv.SLUICE_KAFKA_SASL_JAAS_CONFIG", SECRET)
                .set("spark.driver.extraJavaOptions", "-Dsluice.kafka.ssl.keystore.key=" + SECRET);
        if (redaction != null) {
            conf.set(SecretRedaction.KEY, redaction);
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.parallelize(java.util.List.of(1, 2, 3)).count();
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(all).as("event log written").contains("SparkListenerEnvironmentUpdate");
        return all.toString();
    }
}
