package io.sluice.jobs.sink.hbase;

import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;

/** Where and how the event store writes: the cluster's ZooKeeper, the table and its layout. */
public record HBaseSettings(
        boolean enabled,
        String zookeeperQuorum,
        int zookeeperPort,
        String znodeParent,
        String eventTable,
        int saltBuckets,
        Map<String, String> clientProperties)
        implements Serializable {
    /** The column family of the event store: {@code e:raw} holds the event's JSON as received. */
    public static final byte[] FAMILY = {'e'};

    public static final byte[] RAW = {'r', 'a', 'w'};
    /** Present (value {@code 1}) on an event that was late: counted as a revision of its window. */
    public static final byte[] LATE = {'l', 'a', 't', 'e'};

    public static final byte[] LATE_VALUE = {1};

    public HBaseSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The HBase client configuration these settings describe. */
    public Configuration clientConfiguration() {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", zookeeperQuorum);
        conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
        conf.set("zookeeper.znode.parent", znodeParent);
        clientProperties.forEach(conf::set);
        return conf;
    }
}
