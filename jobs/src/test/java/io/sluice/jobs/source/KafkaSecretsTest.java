package io.sluice.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The secrets reach the consumer parameters, but never Spark's checkpoint, and never a printed value. */
class KafkaSecretsTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sluice\" password=\"hunter2\";";

    private static KafkaSourceSettings settings() {
        KafkaSecrets secrets = KafkaSecrets.resolve(
                List.of(new SecretReference(
                        "sasl.jaas.config",
                        "sluice.kafka.consumer.sasl.jaas.config.env",
                        SecretReference.Source.ENV,
                        "KAFKA_JAAS")),
                null,
                Map.of("KAFKA_JAAS", JAAS)::get);
        return new KafkaSourceSettings(
                "127.0.0.1:9093",
                List.of("events"),
                "sluice",
                "earliest",
                Map.of("security.protocol", "SASL_SSL"),
                0,
                secrets);
    }

    @Test
    void theConsumerParametersCarryTheSecret() {
        assertThat(KafkaSource.consumerParams(settings()))
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings().propertyFor("sasl.jaas.config")).isEqualTo("sluice.kafka.consumer.sasl.jaas.config.env");
        assertThat(settings().propertyFor("ssl.truststore.location"))
                .isEqualTo("sluice.kafka.consumer.ssl.truststore.location");
    }

    @Test
    void theStreamsStrategyCheckpointsTheReferenceNotTheSecret() throws IOException {
        KafkaSourceSettings s = settings();
        DiscoveringAssign strategy = new DiscoveringAssign(
                s.topics(), KafkaSource.consumerParams(s), s.secrets(), Map.of(new TopicPartition("events", 0), 0L), 0);
        assertThat(strategy.executorKafkaParams()).doesNotContainKey("sasl.jaas.config");
        String serialized = serialized(strategy);
        assertThat(serialized).doesNotContain("hunter2").contains("KAFKA_JAAS").contains("SASL_SSL");
        assertThat(serialized(s))
                .as("the settings themselves, as Spark's tasks carry them")
                .contains("hunter2");
    }

    @Test
    void printingNeverShowsAValue() {
        assertThat(settings().toString()).doesNotContain("hunter2").contains("KAFKA_JAAS");
    }

    private static String serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
