package io.sluice.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.results.EventClock;
import io.sluice.testkit.Eventually;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GeneratedEvent;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.generator.Mix;
import io.sluice.testkit.junit.HdfsExtension;
import io.sluice.testkit.junit.KafkaExtension;
import io.sluice.testkit.junit.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.LongToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitions come and go (issue 14, item 5). A partition without events must not hold the results' watermark back
 * for good; partitions added to the topic while the driver runs, and while it is stopped (its checkpoint restored),
 * and while it is stopped without its checkpoint under {@code reset-policy=latest}, are read from their beginning; and an added partition's backlog of old events cannot reopen windows that are final:
 * it is dead-lettered as {@code late}. Everything is compared with what the generators sent.
 */
@RealServers
class PartitionsComeAndGoIT {
    private static final long FIRST = 4_000;
    private static final long SECOND = 6_000;
    private static final long THIRD = 7_000;
    private static final long FOURTH = 7_600;
    private static final int BACKFILL = 500;

    @Test
    @Timeout(900)
    void idleAndAddedPartitionsNeitherStallTheResultsNorReopenFinalWindows() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("partitions-come-go", 3, false);
        scenario.set("sluice.job.results.idle-partition-ms", "3000");
        scenario.set("sluice.job.results.revise-within-ms", "0"); // the backfill is too late, not revised
        scenario.set("sluice.kafka.partition-discovery-ms", "2000");
        long start = EventGenerator.defaultStart(System.currentTimeMillis());
        EventGenerator generator = new EventGenerator(101, Mix.classic(0.02, 0), start);
        // an hour older: the backlog of a partition added late, every event of it behind the watermark
        EventGenerator backfill = new EventGenerator(102, Mix.classic(0, 0), start - 3_600_000);

        // partitions 0 and 1 get events, partition 2 none
        send(scenario, generator, 0, FIRST, seq -> EventGenerator.partition(seq, 2));
        DriverRuntime driver = new DriverRuntime(scenario.settings(), new SparkConf());
        try {
            driver.start();
            scenario.awaitFullyCommitted(Duration.ofMinutes(3));
            long lastArrival = generator.arrival(FIRST - 1);
            Eventually.eventually(
                    Duration.ofMinutes(2),
                    () -> scenario.resultsWatermark() != EventClock.NO_TIME
                            && scenario.resultsWatermark() >= lastArrival - 6_000,
                    "the watermark passes the events of partitions 0 and 1 though partition 2 has none");

            // a partition is added while the driver runs: its old backlog first, then current events
            addPartitions(scenario, 4);
            send(scenario, backfill, 0, BACKFILL, seq -> 3);
            send(scenario, generator, FIRST, SECOND, seq -> 3);
            scenario.awaitFullyCommitted(Duration.ofMinutes(3));
        } finally {
            driver.stop(true);
        }

        // one more while the driver is stopped: the restart restores the checkpoint, then finds it
        addPartitions(scenario, 5);
        send(scenario, generator, SECOND, THIRD, seq -> 4);
        scenario.runUntilCommitted(Duration.ofMinutes(4));

        // and one more while it is stopped and its checkpoint gone (as after an upgrade), with reset-policy=latest: a
        // partition new to a topic the application reads starts at its beginning, not at its end
        addPartitions(scenario, 6);
        send(scenario, generator, THIRD, FOURTH, seq -> 5);
        HdfsExtension.fileSystem()
                .delete(new org.apache.hadoop.fs.Path(scenario.settings().checkpointDir()), true);
        scenario.set("sluice.kafka.reset-policy", "latest");
        scenario.runUntilCommitted(Duration.ofMinutes(4));

        assertThat(scenario.endOffsets()).hasSize(6);
        Scenarios.assertExact(scenario, withLateBackfill(scenario, generator, backfill));
    }

    /** The generator's ground truth (nothing of it is late), plus the backfill, all of it late. */
    private static GroundTruth withLateBackfill(
            PipelineScenario scenario, EventGenerator generator, EventGenerator backfill) {
        var results = scenario.settings().pipeline().results();
        GroundTruth events = GroundTruth.of(generator, FOURTH, 2, results.allowedLatenessMs(), results.maxFutureMs());
        assertThat(events.tooLateIds()).isEmpty();
        Set<String> late = new HashSet<>();
        for (long seq = 0; seq < BACKFILL; seq++) {
            late.add(backfill.event(seq).eventId());
        }
        Map<String, Long> reasons = new TreeMap<>(events.deadLettersByReason());
        reasons.merge(DeadLetterReason.TOO_LATE.code(), (long) BACKFILL, Long::sum);
        return new GroundTruth(
                generator,
                FOURTH + BACKFILL,
                events.validIds(),
                late,
                events.futureIds(),
                events.malformed(),
                events.resends(),
                reasons,
                events.onTimeSeqs(),
                events.revisedSeqs());
    }

    private static void addPartitions(PipelineScenario scenario, int total) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaExtension.server().bootstrapServers()))) {
            admin.createPartitions(Map.of(scenario.topic(), NewPartitions.increaseTo(total)))
                    .all()
                    .get();
        }
        Eventually.eventually(
                Duration.ofMinutes(1), () -> scenario.endOffsets().size() == total, total + " partitions visible");
    }

    private static void send(
            PipelineScenario scenario, EventGenerator generator, long from, long until, LongToIntFunction partition)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaExtension.server().bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long seq = from; seq < until; seq++) {
                GeneratedEvent e = generator.event(seq);
                sent.add(producer.send(new ProducerRecord<>(
                        scenario.topic(), partition.applyAsInt(seq), e.arrival(), null, e.json())));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(); // acknowledged, or the test fails here
            }
        }
    }
}
