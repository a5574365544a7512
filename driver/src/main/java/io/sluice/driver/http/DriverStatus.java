package io.sluice.driver.http;

import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.runtime.PipelineMetrics;
import java.util.Map;
import java.util.Optional;

/** What the status endpoints report about one driver instance, read at request time. */
public interface DriverStatus {
    /** This instance's participant id ({@code host:port}). */
    String id();

    boolean zookeeperConnected();

    boolean leader();

    /** The leader's participant id, empty when unknown. */
    String leaderId();

    /** The epoch this instance took as leader; -1 for a standby. */
    long epoch();

    /** How many times this instance became the leader since it started (0 for one that never led). */
    default long takeovers() {
        return 0;
    }

    /** Leader and batches completing within the readiness bound. */
    boolean ready();

    /** The pipeline's totals; empty on a standby. */
    Optional<PipelineMetrics.Snapshot> metrics();

    /** Per partition: Kafka end offset minus the committed offset; empty on a standby. */
    Map<TopicPartitionKey, Long> lag();
}
