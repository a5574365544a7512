package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real in-process ZooKeeper: an application's nodes are written by the application only. */
class ZooKeeperAclsTest {
    private static final ZooKeeperAuth APP = ZooKeeperAuth.digest("sluice:app-secret");
    private static final ZooKeeperAuth OTHER = ZooKeeperAuth.digest("sluice:guessed");
    private static TestingServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static CuratorFramework client(ZooKeeperAuth auth) {
        CuratorFramework zk = ZooKeeperClients.client(server.getConnectString(), auth);
        zk.start();
        return zk;
    }

    @Test
    void aClientWithoutTheCredentialReadsButCannotChangeTheOffsetsOrTheEpoch() throws Exception {
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication("acl-protected");
        CommittedOffsets committed = CommittedOffsets.of(Map.of(new TopicPartitionKey("t", 0), 42L));
        try (CuratorFramework app = client(APP);
                CuratorFramework anonymous = client(ZooKeeperAuth.NONE);
                CuratorFramework stranger = client(OTHER)) {
            Epoch epoch = new EpochCounter(app, paths).advance();
            new ZooKeeperOffsetStore(app, paths).commit(epoch, committed);
            assertThat(ZooKeeperAcls.check(app, paths.root(), APP, false)).isEmpty();

            for (CuratorFramework foreign : new CuratorFramework[] {anonymous, stranger}) {
                // lag tools and senders still read
                assertThat(new ZooKeeperOffsetStore(foreign, paths).load()).isEqualTo(committed);
                assertThat(new EpochCounter(foreign, paths).current()).isEqualTo(epoch.number());
                assertThatThrownBy(() -> foreign.setData().forPath(paths.offsets(), new byte[] {'{', '}'}))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> foreign.setData()
                                .forPath(paths.epoch(), Long.toString(99).getBytes()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> new EpochCounter(foreign, paths).advance())
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() ->
                                foreign.delete().deletingChildrenIfNeeded().forPath(paths.root()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> foreign.create().forPath(paths.root() + "/squat"))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            assertThat(new ZooKeeperOffsetStore(app, paths).load()).isEqualTo(committed);
            assertThat(new EpochCounter(app, paths).current()).isEqualTo(epoch.number());
        }
    }

    @Test
    void openNodesAreFoundAndSetRightOnlyWhenAsked() throws Exception {
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication("acl-open");
        try (CuratorFramework before = client(ZooKeeperAuth.NONE);
                CuratorFramework app = client(APP);
                CuratorFramework anonymous = client(ZooKeeperAuth.NONE)) {
            // an application that ran before authentication was on
            Epoch epoch = new EpochCounter(before, paths).advance();
            new ZooKeeperOffsetStore(before, paths)
                    .commit(epoch, CommittedOffsets.of(Map.of(new TopicPartitionKey("t", 0), 7L)));

            assertThat(ZooKeeperAcls.check(app, paths.root(), APP, false))
                    .containsExactlyInAnyOrder(paths.root(), paths.epoch(), paths.offsets());
            anonymous
                    .setData()
                    .forPath(paths.epoch(), Long.toString(epoch.number()).getBytes()); // still open

            assertThat(ZooKeeperAcls.check(app, paths.root(), APP, true))
                    .containsExactlyInAnyOrder(paths.root(), paths.epoch(), paths.offsets());
            assertThat(ZooKeeperAcls.check(app, paths.root(), APP, false)).isEmpty();
            assertThatThrownBy(() -> anonymous
                            .setData()
                            .forPath(paths.epoch(), Long.toString(99).getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            // another identity's nodes count as open for this one
            assertThat(ZooKeeperAcls.check(app, paths.root(), OTHER, false)).contains(paths.epoch());
            assertThat(new EpochCounter(app, paths).advance().number()).isEqualTo(epoch.number() + 1);
        }
    }

    @Test
    void applicationsWithDifferentCredentialsShareTheParent() throws Exception {
        try (CuratorFramework first = client(APP);
                CuratorFramework second = client(OTHER)) {
            new EpochCounter(first, ZooKeeperPaths.forApplication("acl-first")).advance();
            new EpochCounter(second, ZooKeeperPaths.forApplication("acl-second")).advance();
            assertThat(ZooKeeperAcls.check(second, "/sluice/acl-second", OTHER, false))
                    .isEmpty();
            assertThatThrownBy(() -> second.setData()
                            .forPath(
                                    ZooKeeperPaths.forApplication("acl-first").epoch(),
                                    Long.toString(5).getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void theCredentialIsNeverPrinted() {
        assertThat(APP.toString()).isEqualTo("digest:sluice:***");
        assertThatThrownBy(() -> ZooKeeperAuth.digest("no-colon")).hasMessage("a digest credential is user:password");
    }
}
