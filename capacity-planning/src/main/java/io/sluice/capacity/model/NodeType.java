package io.sluice.capacity.model;

/**
 * One worker node.
 *
 * @param cores CPU cores
 * @param nicGbps network interface speed in Gbit/s, full duplex (network in and out are sized separately)
 * @param diskMBps sequential disk bandwidth in MB/s (10^6 bytes), all of a node's data disks together; writes and
 *     reads are sized separately against it
 * @param memoryGb memory in GB (10^9 bytes)
 */
public record NodeType(int cores, double nicGbps, double diskMBps, double memoryGb) {
    public NodeType {
        Inputs.positiveInteger("--node-cores", cores);
        Inputs.positive("--nic-gbps", nicGbps);
        Inputs.positive("--disk-mbps", diskMBps);
        Inputs.positive("--node-memory-gb", memoryGb);
    }

    /** NIC bandwidth in bytes per second in each direction. */
    public double nicBytesPerSecond() {
        return nicGbps * 1e9 / 8;
    }

    public double diskBytesPerSecond() {
        return diskMBps * 1e6;
    }

    /** Cores left to Spark: one per node stays with the OS and the HDFS and HBase daemons. */
    public int executorCores() {
        return Math.max(1, cores - 1);
    }

    /** Memory Spark may use for data: the node minus 2 GB for daemons, times Spark's default memory fraction 0.6. */
    public double sparkStorageBytes() {
        return Math.max(0.5, memoryGb - 2) * 1e9 * 0.6;
    }
}
