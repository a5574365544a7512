package io.sluice.checkpoint;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offsets in one ZooKeeper node, committed in a transaction that also checks the committing leader's epoch
 * ({@code check(epoch, version) + setData(offsets)}): a deposed leader's commit fails as a whole.
 */
public final class ZooKeeperOffsetStore implements OffsetStore {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperOffsetStore.class);
    private final CuratorFramework zk;
    private final ZooKeeperPaths paths;

    public ZooKeeperOffsetStore(CuratorFramework zk, ZooKeeperPaths paths) {
        this.zk = zk;
        this.paths = paths;
    }

    @Override
    public CommittedOffsets load() {
        try {
            return OffsetsCodec.decode(zk.getData().forPath(paths.offsets()));
        } catch (KeeperException.NoNodeException e) {
            return CommittedOffsets.empty();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read committed offsets from ZooKeeper node " + paths.offsets(), e);
        }
    }

    @Override
    public void commit(Epoch epoch, CommittedOffsets offsets) {
        byte[] data = OffsetsCodec.encode(offsets);
        try {
            ensureNode();
            CuratorOp check =
                    zk.transactionOp().check().withVersion(epoch.nodeVersion()).forPath(paths.epoch());
            CuratorOp write = zk.transactionOp().setData().forPath(paths.offsets(), data);
            zk.transaction().forOperations(check, write);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            throw new FencedException(epoch, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "offset commit to ZooKeeper failed for " + epoch + ": " + e.getMessage(), e);
        }
        LOG.debug("committed offsets {} at {}", offsets, epoch);
    }

    private void ensureNode() throws Exception {
        if (zk.checkExists().forPath(paths.offsets()) == null) {
            try {
                zk.create().creatingParentsIfNeeded().forPath(paths.offsets(), new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                // created concurrently: fine
            }
        }
    }
}
