package io.sluice.capacity.model;

import java.util.Locale;

/**
 * The processes a Sluice cluster runs, each sized from its own per-event costs. Spark executors share their nodes
 * with the HDFS data nodes (the WAL and the archive) and the HBase region servers; Kafka brokers have nodes of their
 * own unless {@link PipelineShape#kafkaColocated()}.
 */
public enum Role {
    /** The Spark pipeline process, with the HDFS data node that stores its WAL and archive. */
    SPARK_EXECUTORS,
    /** The HBase event store, with the HDFS data node that stores its files. */
    REGION_SERVERS,
    /** The Kafka brokers the events come from. */
    KAFKA_BROKERS;

    /** For people: {@code spark executors}, {@code region servers}, {@code kafka brokers}. */
    public String label() {
        return key().replace('_', ' ');
    }

    /** For machines (JSON): {@code spark_executors}, {@code region_servers}, {@code kafka_brokers}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
