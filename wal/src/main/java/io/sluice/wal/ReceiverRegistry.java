package io.sluice.wal;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Live receivers in ZooKeeper: each registers an ephemeral node {@code <registry>/<host:port>} while it serves, so it
 * disappears with the receiver's session (stop, crash, lost executor). Senders and load balancers read the children.
 */
public final class ReceiverRegistry {
    private ReceiverRegistry() {}

    public static void register(CuratorFramework zk, String registryPath, String address) throws Exception {
        String node = registryPath + "/" + address;
        try {
            zk.delete().forPath(node); // a previous session's node that has not expired yet
        } catch (KeeperException.NoNodeException e) {
            // the usual case
        }
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(node);
    }

    public static void deregister(CuratorFramework zk, String registryPath, String address) throws Exception {
        try {
            zk.delete().forPath(registryPath + "/" + address);
        } catch (KeeperException.NoNodeException e) {
            // gone already
        }
    }

    /** {@code host:port} of every receiver registered now (none when the registry node does not exist). */
    public static List<String> live(CuratorFramework zk, String registryPath) throws Exception {
        try {
            return zk.getChildren().forPath(registryPath).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }
}
