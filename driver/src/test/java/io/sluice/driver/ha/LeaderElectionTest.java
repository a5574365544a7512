package io.sluice.driver.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.ZooKeeperPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** Leader election against a real in-process ZooKeeper, in the style of Curator's own LeaderLatch tests. */
class LeaderElectionTest {
    private static final ZooKeeperPaths PATHS = ZooKeeperPaths.forApplication("election");

    @Test
    void exactlyOneLeadsAndTheStandbyTakesOverWhenTheLeaderLeaves() throws Exception {
        try (TestingServer server = new TestingServer()) {
            CuratorFramework zk1 = client(server.getConnectString());
            CuratorFramework zk2 = client(server.getConnectString());
            List<String> lost = new CopyOnWriteArrayList<>();
            LeaderElection first = new LeaderElection(zk1, PATHS, "first", 1_000, lost::add);
            LeaderElection second = new LeaderElection(zk2, PATHS, "second", 1_000, lost::add);
            first.start();
            first.awaitLeadership();
            second.start();
            CompletableFuture<Void> secondLeads = CompletableFuture.runAsync(() -> {
                try {
                    second.awaitLeadership();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(first.isLeader()).isTrue();
            assertThat(second.isLeader()).isFalse();
            assertThat(second.leaderId()).isEqualTo("first");
            assertThat(first.takeovers())
                    .as("the latch's listener and awaitLeadership count one takeover")
                    .isEqualTo(1);
            assertThat(second.takeovers()).as("a standby took nothing over").isZero();

            first.close();
            zk1.close();
            secondLeads.get(30, TimeUnit.SECONDS);
            assertThat(second.isLeader()).isTrue();
            assertThat(second.takeovers()).isEqualTo(1);
            assertThat(lost).as("leaving by choice is not a loss").isEmpty();
            second.close();
            zk2.close();
        }
    }

    @Test
    void aLeaderWhoseConnectionStaysSuspendedPastTheGracePeriodStopsLeading() throws Exception {
        TestingServer server = new TestingServer();
        CuratorFramework zk = client(server.getConnectString());
        List<String> lost = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        LeaderElection election = new LeaderElection(zk, PATHS, "alone", 500, reason -> {
            lost.add(reason);
            stopped.countDown();
        });
        election.start();
        election.awaitLeadership();

        server.stop(); // SUSPENDED, then, past the grace period, no longer a leader

        assertThat(stopped.await(30, TimeUnit.SECONDS)).as("leadership ended").isTrue();
        assertThat(new ArrayList<>(lost)).hasSize(1);
        assertThat(lost.get(0)).containsAnyOf("SUSPENDED", "LOST");
        assertThat(election.isLeader()).isFalse();
        election.close();
        zk.close();
        server.close();
    }

    private static CuratorFramework client(String connect) throws InterruptedException {
        CuratorFramework zk = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(4_000)
                .connectionTimeoutMs(2_000)
                .retryPolicy(new RetryOneTime(100))
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
        zk.start();
        zk.blockUntilConnected(10, TimeUnit.SECONDS);
        return zk;
    }
}
