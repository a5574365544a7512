package io.sluice.driver.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.ZooKeeperAuth;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceConfig;
import io.sluice.driver.config.SluiceSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.spark.SparkConf;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real ZooKeeper: a driver with {@code sluice.zookeeper.auth} refuses to start on an application's nodes
 * that others may write (before it takes an epoch), and sets their ACLs when told to.
 */
class ZooKeeperAclStartTest {
    private static final Map<String, String> ENV = Map.of("SLUICE_TEST_ZK_AUTH", "sluice:zk-secret");
    private static TestingServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static SluiceSettings settings(String app, boolean fix) {
        Map<String, String> p = new HashMap<>();
        p.put(SluiceConfig.APP_NAME, app);
        p.put(SluiceConfig.ZK_CONNECT, server.getConnectString());
        p.put(SluiceConfig.ZK_AUTH, "digest");
        p.put(SluiceConfig.ZK_AUTH_ENV, "SLUICE_TEST_ZK_AUTH");
        p.put(SluiceConfig.ZK_FIX_ACLS, Boolean.toString(fix));
        p.put(SluiceConfig.KAFKA_BOOTSTRAP, "127.0.0.1:9");
        p.put(SluiceConfig.KAFKA_TOPICS, "events");
        p.put(SluiceConfig.CHECKPOINT_DIR, "file:///tmp/unused");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "file:///tmp/unused-archive");
        return SettingsLoader.load(p, ENV);
    }

    @Test
    void aDriverRefusesOpenNodesUnlessToldToFixThemThenOnlyItWrites() throws Exception {
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication("open-before");
        try (CuratorFramework anonymous = ZooKeeperClients.client(server.getConnectString())) {
            anonymous.start();
            new EpochCounter(anonymous, paths).advance(); // a run before authentication was on

            SluiceSettings refusing = settings("open-before", false);
            assertThat(refusing.zookeeperAuth()).isEqualTo(ZooKeeperAuth.digest("sluice:zk-secret"));
            DriverRuntime driver = new DriverRuntime(refusing, new SparkConf());
            try {
                assertThatThrownBy(driver::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("2 ZooKeeper nodes under /sluice/open-before can be written by others than"
                                + " digest:sluice:*** (e.g. /sluice/open-before): made before sluice.zookeeper.auth"
                                + " was set? Start once with sluice.zookeeper.fix-acls=true to set their ACLs");
            } finally {
                driver.stop(false);
            }
            assertThat(new EpochCounter(anonymous, paths).current())
                    .as("no epoch taken")
                    .isEqualTo(1);

            SluiceSettings fixing = settings("open-before", true);
            try (CuratorFramework app = ZooKeeperClients.client(server.getConnectString(), fixing.zookeeperAuth())) {
                app.start();
                DriverRuntime.checkAcls(app, fixing, paths);
                DriverRuntime.checkAcls(app, refusing, paths); // nothing open any more
                assertThat(new EpochCounter(app, paths).advance().number()).isEqualTo(2);
            }
            assertThatThrownBy(() -> anonymous.setData().forPath(paths.epoch(), "9".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }
}
