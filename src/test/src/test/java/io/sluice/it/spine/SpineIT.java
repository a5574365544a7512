package io.sluice.it.spine;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.KafkaExtension;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.verify.ArchiveContents;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An uninterrupted run: Kafka -> HBase + archive on HDFS and S3, with malformed events dead-lettered. */
@RealServers
class SpineIT {
    private static final long EVENTS = 20_000;

    @Test
    @Timeout(600)
    void aRunDeliversExactlyTheValidEventsToHBaseHdfsAndS3AndDeadLettersTheRest() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("spine", 3, true);
        EventGenerator generator = new EventGenerator(11, 0.03, 0.02);
        scenario.produce(generator, 0, EVENTS, 0);

        DriverRuntime driver = new DriverRuntime(scenario.settings(), new SparkConf());
        try {
            driver.start();
            scenario.awaitFullyCommitted(Duration.ofMinutes(4));
            // the consumer group sees the same offsets, for standard lag tools
            eventually(
                    Duration.ofMinutes(1),
                    () -> kafkaGroupOffsets(scenario).equals(scenario.endOffsets()),
                    "Kafka consumer group offsets reach the end offsets");
        } finally {
            driver.stop(true);
        }

        GroundTruth truth = scenario.groundTruth(generator, EVENTS);
        assertThat(truth.malformed()).isPositive();
        assertThat(truth.revisedSeqs()).as("late events within the revise span").isNotEmpty();
        // every row's revision is compared with these (Scenarios.assertExact): windows final long before their late
        // events arrived (ten minutes late, 30 s allowed) must end with them counted and their revision numbers
        assertThat(truth.results(scenario.settings().pipeline().results()).revisions())
                .as("windows the ground truth says are revised")
                .isNotEmpty();
        assertThat(scenario.readEventStore().lateIds())
                .as("events marked late in the event store")
                .isEqualTo(truth.revisedIds());
        Scenarios.assertExact(scenario, truth);
        for (ArchiveContents archive : scenario.readArchives()) {
            assertThat(archive.deadLetterReasons().keySet())
                    .as("dead-letter reasons in %s", archive.root())
                    .contains("malformed_json", "missing_field", "invalid_field", "too_large", "too_deep");
        }
        assertThat(driver.metrics().snapshot().valid())
                .isEqualTo(truth.validIds().size());
        assertThat(driver.metrics().snapshot().late())
                .as("late events counted by the driver")
                .isEqualTo(truth.lateEvents());
    }

    private static Map<io.sluice.checkpoint.TopicPartitionKey, Long> kafkaGroupOffsets(PipelineScenario scenario)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaExtension.server().bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets("sluice-spine")
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()
                    .stream()
                    .collect(Collectors.toMap(
                            e -> new io.sluice.checkpoint.TopicPartitionKey(
                                    e.getKey().topic(), e.getKey().partition()),
                            e -> e.getValue().offset()));
        }
    }
}
