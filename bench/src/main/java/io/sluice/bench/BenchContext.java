package io.sluice.bench;

import java.nio.file.Path;

/**
 * What every contender runs against: the servers, the pre-loaded workload, and the settings they share (the same
 * per-partition rate cap and batch interval, so that no contender gets bigger batches than another).
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
        int cores) {
    /** Records a Spark batch may take from one partition. */
    long recordsPerPartitionPerBatch() {
        return maxRatePerPartition * batchIntervalMs / 1000;
    }
}
