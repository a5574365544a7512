package io.sluice.capacity.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark and Sluice properties a plan derives: one executor per node using all cores but one, Kafka partitions a
 * multiple of the executor cores, per-partition and per-receiver rate caps with room to catch up after a restart.
 */
public record SparkSettings(int executors, int executorCores, int coresMax, int executorMemoryGb, int kafkaPartitions,
        long maxRatePerPartition, int receivers, long receiverMaxRate, double batchIntervalSeconds,
        double estimatedBatchSeconds, boolean batchIntervalOk) {

    /** As properties for spark-submit (spark.*) and Sluice (sluice.*). */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spark.executor.instances", Integer.toString(executors));
        p.put("spark.executor.cores", Integer.toString(executorCores));
        p.put("spark.cores.max", Integer.toString(coresMax));
        p.put("spark.executor.memory", executorMemoryGb + "g");
        p.put("spark.streaming.backpressure.enabled", "true");
        p.put("spark.streaming.kafka.maxRatePerPartition", Long.toString(maxRatePerPartition));
        p.put("spark.streaming.receiver.maxRate", Long.toString(receiverMaxRate));
        p.put("sluice.kafka.max-rate-per-partition", Long.toString(maxRatePerPartition));
        p.put("sluice.streaming.batch-interval-ms", Long.toString(Math.round(batchIntervalSeconds * 1000)));
        p.put("sluice.plan.kafka-partitions", Integer.toString(kafkaPartitions));
        p.put("sluice.plan.receivers", Integer.toString(receivers));
        return p;
    }
}
