package io.sluice.testkit.junit;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HDFS (MiniDFSCluster: one name node, one data node, in this JVM, from the shaded
 * {@code hadoop-client-minicluster} 3.3.4, which shares Spark's Hadoop) for the tests of a class annotated
 * {@code @ExtendWith(HdfsExtension.class)}; shared by every test class. Driver child processes reach it by
 * {@link #uri()}.
 */
public final class HdfsExtension implements BeforeAllCallback {
    private static volatile Hdfs hdfs;

    public static URI uri() {
        return SharedServer.started(hdfs, "Hdfs").cluster.getURI();
    }

    public static FileSystem fileSystem() throws java.io.IOException {
        return FileSystem.get(uri(), new Configuration());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        hdfs = SharedServer.get(context, "hdfs", Hdfs.class, dir -> {
            Configuration conf = new Configuration();
            conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
            conf.set("dfs.namenode.http-address", "127.0.0.1:0");
            conf.set("dfs.datanode.address", "127.0.0.1:0");
            conf.set("dfs.datanode.http.address", "127.0.0.1:0");
            conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
            conf.setBoolean("dfs.permissions.enabled", false);
            return new Hdfs(new MiniDFSCluster.Builder(conf, dir.toFile())
                    .numDataNodes(1)
                    .build());
        });
    }

    /** The running cluster, closed with the root context. */
    record Hdfs(MiniDFSCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.shutdown();
        }
    }
}
