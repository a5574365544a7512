package io.sluice.demo;

import io.sluice.testkit.server.EmbeddedHBase;
import io.sluice.testkit.server.EmbeddedKafka;
import io.sluice.testkit.server.EmbeddedS3;
import io.sluice.testkit.server.EmbeddedZooKeeper;
import java.nio.file.Path;

/** The demo's real servers, started under one data directory and closed in reverse order. */
record DemoServers(
        EmbeddedZooKeeper zookeeper,
        EmbeddedKafka kafka,
        EmbeddedHBase hbase,
        EmbeddedS3 s3,
        java.util.concurrent.atomic.AtomicBoolean closed)
        implements AutoCloseable {

    static DemoServers start(Path dataDir) throws Exception {
        EmbeddedZooKeeper zk = null;
        EmbeddedKafka kafka = null;
        EmbeddedHBase hbase = null;
        try {
            System.out.println("demo: starting ZooKeeper, Kafka, HBase and S3 under " + dataDir);
            zk = EmbeddedZooKeeper.start(dataDir.resolve("zookeeper"));
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
            hbase = EmbeddedHBase.start(dataDir.resolve("hbase"));
            EmbeddedS3 s3 = EmbeddedS3.start(dataDir.resolve("s3"));
            return new DemoServers(zk, kafka, hbase, s3, new java.util.concurrent.atomic.AtomicBoolean());
        } catch (Exception e) {
            closeQuietly(hbase);
            closeQuietly(kafka);
            closeQuietly(zk);
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(s3);
        closeQuietly(hbase);
        closeQuietly(kafka);
        closeQuietly(zookeeper);
    }

    private static void closeQuietly(AutoCloseable server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("demo: error while stopping " + server + ": " + e);
        }
    }
}
