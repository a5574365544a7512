package io.sluice.runtime.hbase;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.master.HMaster;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;

/**
 * A real HBase (one master, one region server and their ZooKeeper) in this JVM, with its data under a directory
 * that survives restarts: {@code java HBaseStandaloneMain DATA_DIR ZK_PORT}. Prints {@code READY <zkPort>} once
 * HBase serves requests, and shuts down cleanly when standard input closes (so it dies with its parent).
 */
public final class HBaseStandaloneMain {
    private HBaseStandaloneMain() {}

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]).getAbsoluteFile();
        int zkPort = Integer.parseInt(args[1]);
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.cluster.distributed", "false");
        conf.set("hbase.rootdir", new File(dir, "root").toURI().toString());
        conf.set("hbase.tmp.dir", new File(dir, "tmp").getPath());
        conf.set("hbase.zookeeper.quorum", "127.0.0.1");
        conf.setInt("hbase.zookeeper.property.clientPort", zkPort);
        conf.set("hbase.zookeeper.property.dataDir", new File(dir, "zookeeper").getPath());
        conf.set("hbase.master.hostname", "127.0.0.1");
        conf.set("hbase.regionserver.hostname", "127.0.0.1");
        conf.set("hbase.master.ipc.address", "127.0.0.1");
        conf.set("hbase.regionserver.ipc.address", "127.0.0.1");
        conf.setInt("hbase.master.port", 0);
        conf.setInt("hbase.master.info.port", -1);
        conf.setInt("hbase.regionserver.port", 0);
        conf.setInt("hbase.regionserver.info.port", -1);
        // the local file system has no hflush/hsync capability flags; HBase refuses to start on it without this
        conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
        conf.setInt("hbase.regionserver.handler.count", 10);
        // one process serves every table of a test suite or demo: without MSLAB each region's memstore takes what it
        // holds rather than 2-MB chunks, which ran the heap out once the suite had created a few dozen tables
        conf.setBoolean("hbase.hregion.memstore.mslab.enabled", false);
        conf.setInt("hbase.master.wait.on.regionservers.mintostart", 1);
        // a restart after kill -9 waits for the dead process's ZooKeeper sessions to expire (its master and region
        // server znodes are ephemeral): 20 s instead of the default 90 s, which outlasted the start's own waits
        conf.setInt("zookeeper.session.timeout", 20_000);

        MiniZooKeeperCluster zk = new MiniZooKeeperCluster(conf);
        zk.setDefaultClientPort(zkPort);
        int port = zk.startup(new File(dir, "zookeeper"));
        conf.setInt("hbase.zookeeper.property.clientPort", port);
        LocalHBaseCluster cluster = new LocalHBaseCluster(
                conf, 1, 1, HMaster.class, org.apache.hadoop.hbase.regionserver.HRegionServer.class);
        cluster.startup();
        awaitServing(conf);
        System.out.println("READY " + port);
        System.out.flush();

        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin (or die)
        }
        cluster.shutdown();
        cluster.join();
        zk.shutdown();
        System.exit(0);
    }

    private static void awaitServing(Configuration conf) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Configuration client = new Configuration(conf);
            client.setInt("hbase.client.retries.number", 1);
            try (Connection c = ConnectionFactory.createConnection(client);
                    Admin admin = c.getAdmin()) {
                admin.listTableNames();
                if (admin.isTableAvailable(org.apache.hadoop.hbase.TableName.META_TABLE_NAME)) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IOException("HBase did not become available in 180 s", last);
    }
}
