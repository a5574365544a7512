package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.ZooKeeperAcls;
import io.sluice.checkpoint.ZooKeeperAuth;
import io.sluice.checkpoint.ZooKeeperClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver as a driver starts it, secured: in a local streaming context, over HTTPS with a keytool-made keystore,
 * with a token, registering in a real ZooKeeper with the application's digest credential. A sender that trusts the
 * certificate and holds the token delivers; plain HTTP, a wrong token and a ZooKeeper client without the credential
 * change nothing.
 */
class SecureReceiverTest {
    private static final String ROOT = "/sluice/secure";
    private static final String REGISTRY = ROOT + "/receivers";
    private static final ZooKeeperAuth APP = ZooKeeperAuth.digest("secure:zk-secret");
    /** Records the streaming context received: each block holds its arrival stamp and its events. */
    private static final AtomicLong RECEIVED = new AtomicLong();

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void onlyATrustingSenderWithTheTokenDeliversAndOnlyTheApplicationWritesItsNodes() throws Exception {
        SelfSignedKeystore keys = SelfSignedKeystore.create(dir);
        try (TestingServer server = new TestingServer(
                        new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
                CuratorFramework app = ZooKeeperClients.client(server.getConnectString(), APP);
                CuratorFramework anonymous = ZooKeeperClients.client(server.getConnectString())) {
            app.start();
            anonymous.start();
            app.create().creatingParentsIfNeeded().forPath(ROOT + "/epoch", "1".getBytes(StandardCharsets.UTF_8));
            HttpEventReceiver receiver = new HttpEventReceiver(new ReceiverSettings(
                    "127.0.0.1",
                    0,
                    0,
                    1 << 20,
                    1_000,
                    "t0ken",
                    false,
                    keys.tls(),
                    server.getConnectString(),
                    APP,
                    REGISTRY,
                    ROOT + "/epoch"));
            receiver.reportTo(1);
            JavaStreamingContext ssc = new JavaStreamingContext(
                    new SparkConf()
                            .setMaster("local[2]")
                            .setAppName("secure-receiver-test")
                            .set("spark.ui.enabled", "false")
                            .set("spark.driver.host", "127.0.0.1"),
                    Durations.seconds(1));
            try {
                ssc.receiverStream(receiver).foreachRDD(rdd -> {
                    RECEIVED.addAndGet(rdd.count());
                });
                ssc.start();
                String address = awaitRegistered(anonymous);

                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                assertThatThrownBy(() -> post(plain, "http://" + address + "/events", "t0ken"))
                        .isInstanceOf(IOException.class);
                SSLContext trusting = EventSender.trusting(keys.certificate());
                HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
                assertThat(post(https, "https://" + address + "/events", "t0ken!")
                                .statusCode())
                        .isEqualTo(401);
                assertThat(post(https, "https://" + address + "/restart", null).statusCode())
                        .isEqualTo(401);

                try (EventSender sender = EventSender.discovering(
                        server.getConnectString(),
                        REGISTRY,
                        EventSender.Options.defaults().withToken("t0ken").withTls(trusting))) {
                    assertThat(sender.send(List.of(
                                            "{\"event_id\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                                            "{\"event_id\":\"b\"}".getBytes(StandardCharsets.UTF_8))
                                    .iterator()))
                            .isEqualTo(2);
                }
                awaitReceived(3); // one block: its arrival stamp and the two events, nothing of the refused ones

                // the receiver's registry node belongs to the application: readable, not removable by others
                assertThat(ZooKeeperAcls.check(app, ROOT, APP, false)).isEmpty();
                assertThatThrownBy(() -> anonymous.delete().forPath(REGISTRY + "/" + address))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> anonymous.setData().forPath(ROOT + "/epoch", "2".getBytes()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            } finally {
                ssc.stop(true, false);
            }
            assertThat(RECEIVED.get()).isEqualTo(3);
        }
    }

    private static HttpResponse<String> post(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"refused\"}\n"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String awaitRegistered(CuratorFramework zk) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> live = ReceiverRegistry.live(zk, REGISTRY);
            if (!live.isEmpty()) {
                return live.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no receiver registered under " + REGISTRY + " within a minute");
    }

    private static void awaitReceived(long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (RECEIVED.get() < records && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(RECEIVED.get()).as("records received").isEqualTo(records);
    }
}
