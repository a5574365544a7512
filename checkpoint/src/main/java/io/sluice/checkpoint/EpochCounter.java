package io.sluice.checkpoint;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The epoch counter in ZooKeeper: a node holding the newest leader's epoch, advanced by compare-and-set so two
 * drivers can never take the same epoch.
 */
public final class EpochCounter {
    private final CuratorFramework zk;
    private final String path;

    public EpochCounter(CuratorFramework zk, ZooKeeperPaths paths) {
        this.zk = zk;
        this.path = paths.epoch();
    }

    /** Takes the next epoch. Call only after winning leadership. */
    public Epoch advance() throws Exception {
        while (true) {
            Stat stat = new Stat();
            byte[] current;
            try {
                current = zk.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                try {
                    zk.create().creatingParentsIfNeeded().forPath(path, encode(0));
                } catch (KeeperException.NodeExistsException raced) {
                    // another driver created it first: read it again
                }
                continue;
            }
            long next = decode(current) + 1;
            try {
                Stat written = zk.setData().withVersion(stat.getVersion()).forPath(path, encode(next));
                return new Epoch(next, written.getVersion());
            } catch (KeeperException.BadVersionException raced) {
                // another driver advanced it between our read and write: try again with its value
            }
        }
    }

    /** The newest epoch taken by any driver, 0 if none. */
    public long current() throws Exception {
        try {
            return decode(zk.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
    }

    private static byte[] encode(long epoch) {
        return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
    }

    /** The epoch a node's data holds (0 for none). */
    public static long decode(byte[] data) {
        return data == null || data.length == 0 ? 0 : Long.parseLong(new String(data, StandardCharsets.UTF_8).trim());
    }
}
