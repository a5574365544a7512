package io.sluice.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.results.ResultsCheck;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.HBaseExtension;
import io.sluice.testkit.junit.HdfsExtension;
import io.sluice.testkit.junit.KafkaExtension;
import io.sluice.testkit.junit.S3Extension;
import io.sluice.testkit.junit.ZooKeeperExtension;
import io.sluice.testkit.server.EmbeddedKafka;
import io.sluice.testkit.verify.ArchiveContents;
import io.sluice.testkit.verify.Outcome;
import java.util.List;

/** Scenario wiring and the exactness assertions shared by the spine's end-to-end tests. */
public final class Scenarios {
    private Scenarios() {}

    /** A scenario on the shared servers: checkpoint on HDFS, archive on HDFS and (when {@code s3}) on S3. */
    public static PipelineScenario onSharedServers(String name, int partitions, boolean s3) throws Exception {
        return onSharedServers(name, partitions, s3, KafkaExtension.server());
    }

    /** As {@link #onSharedServers(String, int, boolean)}, reading from {@code kafka} instead of the shared broker. */
    public static PipelineScenario onSharedServers(String name, int partitions, boolean s3, EmbeddedKafka kafka)
            throws Exception {
        String hdfs = HdfsExtension.uri().toString();
        List<String> roots = s3
                ? List.of(hdfs + "/" + name + "/archive", "s3a://" + name + "/archive")
                : List.of(hdfs + "/" + name + "/archive");
        if (s3) {
            S3Extension.server().createBucket(name);
        }
        PipelineScenario scenario = new PipelineScenario(
                name,
                ZooKeeperExtension.server().connectString(),
                kafka.bootstrapServers(),
                HBaseExtension.server().zookeeperQuorum(),
                HBaseExtension.server().zookeeperPort(),
                hdfs + "/" + name + "/checkpoint",
                roots,
                S3Extension.server().s3aProperties());
        kafka.createTopic(scenario.topic(), partitions);
        return scenario;
    }

    /**
     * No lost event, no duplicate, every on-time event in HBase and in every archive root, every malformed, late or
     * future one dead-lettered with the reason the generator knows, and the results table equal to a recount of the
     * archive and to the generator's ground truth (every count cell, every top row).
     */
    public static void assertExact(PipelineScenario scenario, GroundTruth truth) throws Exception {
        assertThat(scenario.endOffsets().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .as("records in Kafka")
                .isEqualTo(truth.sent());
        assertOutputsExact(scenario, truth);
        assertThat(scenario.committedOffsets().asMap())
                .as("ZooKeeper offsets = Kafka end offsets")
                .isEqualTo(scenario.endOffsets());
    }

    /** {@link #assertExact} without the checks of Kafka's offsets (a transactional topic has gaps in them). */
    public static void assertOutputsExact(PipelineScenario scenario, GroundTruth truth) throws Exception {
        Outcome outcome = scenario.verify(truth);
        if (outcome.lost() > 0) {
            java.util.Map<String, Integer> stored = scenario.readEventStoreQuietly();
            assertThat(outcome.lost())
                    .as(
                            "lost events: %s; missing from HBase, e.g. %s",
                            outcome.summary(),
                            truth.validIds().stream()
                                    .filter(id -> !stored.containsKey(id))
                                    .sorted()
                                    .limit(10)
                                    .toList())
                    .isZero();
        }
        assertThat(outcome.duplicated()).as("duplicates: %s", outcome.summary()).isZero();
        assertThat(outcome.hbaseRows())
                .as("HBase rows")
                .isEqualTo(truth.validIds().size());
        for (ArchiveContents archive : scenario.readArchives()) {
            assertThat(archive.lines())
                    .as("event lines in %s", archive.root())
                    .isEqualTo(truth.validIds().size());
            assertThat(archive.eventIdCounts().keySet())
                    .as("event ids in %s", archive.root())
                    .isEqualTo(truth.validIds());
            assertThat(archive.deadLetters())
                    .as("dead letters in %s", archive.root())
                    .isEqualTo(truth.deadLetters());
            assertThat(archive.deadLetterReasons())
                    .as("dead letters by reason in %s (late and future included)", archive.root())
                    .isEqualTo(truth.deadLettersByReason());
        }
        ResultsCheck.Report results = scenario.checkResults();
        assertThat(results.differences())
                .as("results table vs recount of the archive: %s", results.summary())
                .isEmpty();
        assertThat(results.recountedEvents())
                .as("events recounted")
                .isEqualTo(truth.validIds().size());
        assertThat(results.topRows()).as("top rows written").isPositive();
        assertThat(scenario.resultsAgainst(truth))
                .as("results table vs the generator's ground truth")
                .isEmpty();
    }
}
