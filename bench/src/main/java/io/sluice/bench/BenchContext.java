package io.sluice.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * What every contender runs against: the servers, the pre-loaded workload, and the settings they share (the same
 * per-partition rate cap and batch interval, so that no contender gets bigger batches than another).
 *
 * @param servers the server processes by role ({@code kafka}, {@code hbase}), whose CPU time each run records
 */
record BenchContext(
        Path workDir,
        String zookeeperConnect,
        String bootstrapServers,
        String hbaseQuorum,
        int hbasePort,
        Workload workload,
        long maxRatePerPartition,
        long batchIntervalMs,
        int cores,
        Map<String, Long> servers) {
    /** Records a Spark batch may take from one partition. */
    long recordsPerPartitionPerBatch() {
        return maxRatePerPartition * batchIntervalMs / 1000;
    }
}
