package io.sluice.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.cli.Commands;
import io.sluice.driver.cli.OffsetsCommand;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GeneratedEvent;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.generator.Mix;
import io.sluice.testkit.junit.KafkaExtension;
import io.sluice.testkit.junit.RealServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka's edges (issue 14, item 9): a topic written by a transactional producer (offsets with gaps for the commit
 * markers, and an aborted transaction whose records must never be read), and a committed offset that retention has
 * deleted past, which must stop start-up with one line naming the partition, both offsets and the command that
 * resolves it, never a crash loop or a silent skip.
 */
@RealServers
class KafkaEdgesIT {

    @Test
    @Timeout(600)
    void aTransactionalTopicIsReadExactlyAndAbortedRecordsAreNot() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("kafka-txn", 2, false);
        EventGenerator generator = new EventGenerator(
                81, Mix.classic(0.02, 0.01), EventGenerator.defaultStart(System.currentTimeMillis()));
        EventGenerator aborted =
                new EventGenerator(82, Mix.classic(0, 0), EventGenerator.defaultStart(System.currentTimeMillis()));
        long events = 6_000;
        try (KafkaProducer<byte[], byte[]> producer = transactional(scenario)) {
            producer.initTransactions();
            for (long from = 0; from < events; from += 500) {
                producer.beginTransaction();
                for (long seq = from; seq < from + 500; seq++) {
                    producer.send(record(scenario, generator.event(seq), 2));
                }
                producer.commitTransaction();
                if (from == 2_500) {
                    producer.beginTransaction();
                    for (long seq = 0; seq < 300; seq++) {
                        producer.send(record(scenario, aborted.event(seq), 2));
                    }
                    producer.flush();
                    producer.abortTransaction();
                }
            }
        }
        scenario.runUntilCommitted(Duration.ofMinutes(4));
        Scenarios.assertOutputsExact(scenario, scenario.groundTruth(generator, events));
    }

    @Test
    @Timeout(600)
    void aCommittedOffsetBelowTheLogStartStopsStartUpUntilTheOperatorMovesIt() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("kafka-trunc", 1, false);
        EventGenerator generator =
                new EventGenerator(83, Mix.classic(0, 0), EventGenerator.defaultStart(System.currentTimeMillis()));
        scenario.produce(generator, 0, 2_000, 0);
        scenario.runUntilCommitted(Duration.ofMinutes(3));
        scenario.produce(generator, 2_000, 4_000, 0);
        TopicPartition p0 = new TopicPartition(scenario.topic(), 0);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaExtension.server().bootstrapServers()))) {
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(3_000)))
                    .all()
                    .get();
        }

        DriverRuntime refused = new DriverRuntime(scenario.settings(), new SparkConf());
        try {
            assertThatThrownBy(refused::start)
                    .hasMessageContaining("Kafka partition " + scenario.topic()
                            + "-0: the committed offset 2000 is below the log start 3000")
                    .hasMessageContaining("./bin/sluice offsets --config FILE --move " + scenario.topic() + "-0=3000");
        } finally {
            refused.stop(false);
        }
        assertThat(scenario.committedOffsets().asMap())
                .as("nothing skipped by the refused start")
                .containsEntry(new TopicPartitionKey(scenario.topic(), 0), 2_000L);

        Path config = scenario.writeConfig(scenario.workDir());
        assertThat(Commands.execute(
                        new OffsetsCommand(), "--config", config.toString(), "--move", scenario.topic() + "-0=3000"))
                .isZero();
        scenario.runUntilCommitted(Duration.ofMinutes(3));
        GroundTruth all = scenario.groundTruth(generator, 4_000);
        Map<String, Integer> stored = scenario.readEventStore().versionsByEventId();
        assertThat(stored).as("events 0-1999 and 3000-3999, once each").hasSize(3_000);
        assertThat(stored.values()).allMatch(v -> v == 1);
        for (long seq = 0; seq < 4_000; seq++) {
            String id = generator.event(seq).eventId();
            assertThat(stored.containsKey(id)).as("event %d", seq).isEqualTo(seq < 2_000 || seq >= 3_000);
            assertThat(all.validIds()).contains(id);
        }
    }

    private static KafkaProducer<byte[], byte[]> transactional(PipelineScenario scenario) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaExtension.server().bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-" + scenario.topic());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    private static ProducerRecord<byte[], byte[]> record(PipelineScenario scenario, GeneratedEvent e, int partitions) {
        return new ProducerRecord<>(
                scenario.topic(), EventGenerator.partition(e.seq(), partitions), e.arrival(), null, e.json());
    }
}
