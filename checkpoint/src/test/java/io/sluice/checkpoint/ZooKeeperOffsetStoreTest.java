package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real in-process ZooKeeper: commits land, and a deposed leader's commit is refused. */
class ZooKeeperOffsetStoreTest {
    private static TestingServer server;
    private static CuratorFramework zk;

    @BeforeAll
    static void start() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1");
        server = new TestingServer(spec, true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
    }

    @AfterAll
    static void stop() throws Exception {
        zk.close();
        server.close();
    }

    @Test
    void commitThenLoad() throws Exception {
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication("commit-then-load");
        ZooKeeperOffsetStore store = new ZooKeeperOffsetStore(zk, paths);
        assertThat(store.load().isEmpty()).isTrue();
        Epoch epoch = new EpochCounter(zk, paths).advance();
        CommittedOffsets offsets =
                CommittedOffsets.of(Map.of(new TopicPartitionKey("t", 0), 42L, new TopicPartitionKey("t", 3), 7L));
        store.commit(epoch, offsets);
        assertThat(store.load()).isEqualTo(offsets);
    }

    @Test
    void aDeposedLeaderCannotCommit() throws Exception {
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication("fenced");
        ZooKeeperOffsetStore store = new ZooKeeperOffsetStore(zk, paths);
        EpochCounter counter = new EpochCounter(zk, paths);
        Epoch old = counter.advance();
        Epoch current = counter.advance();
        assertThat(current.number()).isEqualTo(old.number() + 1);
        CommittedOffsets first = CommittedOffsets.of(Map.of(new TopicPartitionKey("t", 0), 10L));
        store.commit(current, first);

        assertThatThrownBy(() -> store.commit(old, CommittedOffsets.of(Map.of(new TopicPartitionKey("t", 0), 99L))))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("epoch " + old.number());
        assertThat(store.load()).isEqualTo(first);
    }
}
