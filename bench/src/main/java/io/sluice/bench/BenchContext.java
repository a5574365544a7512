package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * What every contender runs against: the servers, the pre-loaded workload, and the settings they share (the same
 * per-partition rate cap and batch interval, so that no contender gets bigger batches than another).
 *
 * @param servers the server processes by role ({@code kafka}, {@code hbase}), whose CPU time each run records
 * @param resultsVisitors how Sluice's results job counts visitors ({@code sluice.job.results.visitors})
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
        Map<String, Long> servers,
        String resultsVisitors) {
    /** Records a Spark batch may take from one partition. */
    long recordsPerPartitionPerBatch() {
        return maxRatePerPartition * batchIntervalMs / 1000;
    }

    /** A client of the bench's HBase. */
    Configuration hbaseConfiguration() {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", hbaseQuorum);
        conf.setInt("hbase.zookeeper.property.clientPort", hbasePort);
        return conf;
    }

    /**
     * Drops a run's tables once its outputs were checked: the region server then holds only the running contender's
     * regions and memstores, whatever the number of runs before.
     */
    void dropTables(String... tables) throws IOException {
        try (Connection c = ConnectionFactory.createConnection(hbaseConfiguration());
                Admin admin = c.getAdmin()) {
            for (String name : tables) {
                TableName table = TableName.valueOf(name);
                if (admin.tableExists(table)) {
                    admin.disableTable(table);
                    admin.deleteTable(table);
                }
            }
        }
    }
}
