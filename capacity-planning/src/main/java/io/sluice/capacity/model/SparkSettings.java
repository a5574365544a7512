package io.sluice.capacity.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings a plan derives.
 *
 * @param executors one per node
 * @param executorCores all cores of a node but one
 * @param coresMax {@code spark.cores.max}: executors x executor cores
 * @param executorMemoryGb {@code spark.executor.memory}: three quarters of a node's memory after 2 GB for daemons
 * @param kafkaPartitions partitions of the input topic: a multiple of {@code coresMax}, at most 5 MB/s each
 * @param maxRatePerPartition {@code spark.streaming.kafka.maxRatePerPartition}: the peak share x 1.5
 * @param receivers HTTP receivers for push ingestion, at most 50,000 events/s each
 * @param receiverMaxRate {@code spark.streaming.receiver.maxRate}: the peak share x 1.5
 * @param wal the receiver write-ahead log is on
 * @param batchIntervalSeconds the micro-batch interval
 * @param estimatedBatchSeconds estimated processing time of one peak batch on the planned cores
 * @param batchIntervalOk the estimate fits in the interval with the headroom to spare
 */
public record SparkSettings(
        int executors,
        int executorCores,
        int coresMax,
        int executorMemoryGb,
        int kafkaPartitions,
        long maxRatePerPartition,
        int receivers,
        long receiverMaxRate,
        boolean wal,
        double batchIntervalSeconds,
        double estimatedBatchSeconds,
        boolean batchIntervalOk) {

    /**
     * As properties for {@code spark-submit --conf} ({@code spark.*}) and the Sluice properties file
     * ({@code sluice.*}, all of them keys the driver defines).
     */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spark.executor.instances", Integer.toString(executors));
        p.put("spark.executor.cores", Integer.toString(executorCores));
        p.put("spark.cores.max", Integer.toString(coresMax));
        p.put("spark.executor.memory", executorMemoryGb + "g");
        p.put("spark.streaming.backpressure.enabled", "true");
        p.put("spark.streaming.kafka.maxRatePerPartition", Long.toString(maxRatePerPartition));
        p.put("spark.streaming.receiver.maxRate", Long.toString(receiverMaxRate));
        if (wal) {
            p.put("spark.streaming.receiver.writeAheadLog.enable", "true");
        }
        p.put("sluice.kafka.backpressure", "true");
        p.put("sluice.kafka.max-rate-per-partition", Long.toString(maxRatePerPartition));
        p.put("sluice.streaming.batch-interval-ms", Long.toString(Math.round(batchIntervalSeconds * 1000)));
        return p;
    }
}
