package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver in a local streaming context with a real ZooKeeper: it answers for the epoch of the driver it reports to,
 * which the driver gives it, not for whatever epoch is newest when it (re)starts.
 */
class HttpEventReceiverTest {
    private static final String EPOCH = "/sluice/app/epoch";
    private static final String REGISTRY = "/sluice/app/receivers";

    /**
     * Review hole 5: a receiver restarted inside a driver that a newer leader had deposed read the newest epoch at its
     * start and took it for its driver's: it acknowledged requests its deposed driver would never process.
     */
    @Test
    @Timeout(180)
    void aReceiverOfADeposedDriverRefusesRequestsThoughItStartedAfterTheNewerEpoch() throws Exception {
        assertThat(postTo(1, 2)).isEqualTo(503);
    }

    @Test
    @Timeout(180)
    void aReceiverOfTheNewestDriverAcknowledges() throws Exception {
        assertThat(postTo(2, 2)).isEqualTo(200);
    }

    /** The status of a request to a receiver of a driver at {@code driverEpoch} when {@code newest} is the newest. */
    private static int postTo(long driverEpoch, long newest) throws Exception {
        try (TestingServer server = new TestingServer();
                CuratorFramework zk =
                        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            zk.start();
            zk.create()
                    .creatingParentsIfNeeded()
                    .forPath(EPOCH, Long.toString(newest).getBytes(StandardCharsets.UTF_8));
            HttpEventReceiver receiver = new HttpEventReceiver(new ReceiverSettings(
                    "127.0.0.1",
                    0,
                    0,
                    1 << 20,
                    1_000,
                    "t0ken",
                    false,
                    null,
                    server.getConnectString(),
                    io.sluice.checkpoint.ZooKeeperAuth.NONE,
                    REGISTRY,
                    EPOCH));
            receiver.reportTo(driverEpoch);
            SparkConf conf = new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("receiver-test")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1");
            JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
            try {
                ssc.receiverStream(receiver).foreachRDD(rdd -> {});
                ssc.start();
                String address = awaitRegistered(zk);
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://" + address + IngestEndpoint.PATH))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", "Bearer t0ken")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"a\"}\n"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                return response.statusCode();
            } finally {
                ssc.stop(true, false);
            }
        }
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
}
