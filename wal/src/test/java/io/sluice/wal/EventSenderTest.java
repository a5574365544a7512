package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against real endpoints registered in a real ZooKeeper: failover, retries, nothing dropped. */
class EventSenderTest {
    private static final String REGISTRY = "/sluice/test/receivers";
    private TestingServer zkServer;
    private CuratorFramework zk;
    private final List<String> stored = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zkServer = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
        zk = CuratorFrameworkFactory.newClient(zkServer.getConnectString(), new RetryOneTime(100));
        zk.start();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zk.close();
        zkServer.close();
    }

    private IngestEndpoint endpoint(IngestEndpoint.Store store) throws Exception {
        IngestEndpoint e = IngestEndpoint.start(ReceiverSettings.local("127.0.0.1", 1 << 20), store, () -> true);
        ReceiverRegistry.register(zk, REGISTRY, e.address());
        return e;
    }

    private static List<byte[]> events(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> ("{\"event_id\":\"e-" + i + "\"}").getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    private Set<String> storedIds() {
        return new HashSet<>(stored);
    }

    @Test
    void everyEventArrivesThroughFailuresAndAReceiverThatGoesAway() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IngestEndpoint flaky = endpoint(lines -> {
            if (calls.incrementAndGet() % 3 == 0) {
                throw new IllegalStateException("WAL write failed");
            }
            lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8)));
        });
        IngestEndpoint steady =
                endpoint(lines -> lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8))));
        try (EventSender sender = EventSender.discovering(
                zkServer.getConnectString(),
                REGISTRY,
                EventSender.Options.defaults().withPlainHttp().withBatchSize(50).withGzip(true))) {
            assertThat(sender.send(events(1000).iterator())).isEqualTo(1000);
            assertThat(sender.retries()).as("503s retried").isPositive();
            // one receiver goes away (its node too, as when its session ends): the rest goes to the other
            ReceiverRegistry.deregister(zk, REGISTRY, steady.address());
            steady.close();
            assertThat(sender.send(events(2000).subList(1000, 2000).iterator())).isEqualTo(1000);
        } finally {
            flaky.close();
        }
        assertThat(storedIds()).hasSize(2000);
        assertThat(stored).as("no event stored twice without a timeout").hasSize(2000);
    }

    @Test
    void aTimedOutRequestIsSentAgainAndMayBeStoredTwiceNeverLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IngestEndpoint slowOnce = endpoint(lines -> {
            lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8)));
            if (calls.incrementAndGet() == 1) {
                Thread.sleep(1500); // stored, but the answer comes after the sender gave up
            }
        });
        try (EventSender sender = EventSender.discovering(
                zkServer.getConnectString(),
                REGISTRY,
                EventSender.Options.defaults()
                        .withPlainHttp()
                        .withBatchSize(10)
                        .withRequestTimeout(Duration.ofMillis(500)))) {
            assertThat(sender.send(events(100).iterator())).isEqualTo(100);
        } finally {
            slowOnce.close();
        }
        assertThat(storedIds()).hasSize(100);
        assertThat(stored).as("the first batch stored twice").hasSize(110);
    }

    @Test
    void aWrongTokenStopsTheSenderWithWhatWasDelivered() throws Exception {
        IngestEndpoint guarded = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 1 << 20).withToken("right"), lines -> {}, () -> true);
        try (EventSender sender = EventSender.to(
                List.of(guarded.address()),
                EventSender.Options.defaults().withPlainHttp().withToken("wrong"))) {
            assertThatThrownBy(() -> sender.send(events(10).iterator()))
                    .isInstanceOf(EventSender.RejectedException.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("after 0 events were delivered");
        } finally {
            guarded.close();
        }
    }

    @Test
    void aBatchOverTheBodyLimitIsSplit() throws Exception {
        IngestEndpoint small = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 200),
                lines -> lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8))),
                () -> true);
        try (EventSender sender = EventSender.to(
                List.of(small.address()),
                EventSender.Options.defaults().withPlainHttp().withBatchSize(100))) {
            assertThat(sender.send(events(100).iterator())).isEqualTo(100);
        } finally {
            small.close();
        }
        assertThat(stored).hasSize(100);
    }

    @Test
    void aBatchOverTheLineLimitIsSplitAndNoEventIsDropped() throws Exception {
        List<Integer> blockSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        IngestEndpoint few = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 1 << 20).withMaxLines(7),
                lines -> {
                    blockSizes.add(lines.size());
                    lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8)));
                },
                () -> true);
        try (EventSender sender = EventSender.to(
                List.of(few.address()),
                EventSender.Options.defaults().withPlainHttp().withBatchSize(100))) {
            assertThat(sender.send(events(100).iterator())).isEqualTo(100);
        } finally {
            few.close();
        }
        assertThat(storedIds()).hasSize(100);
        assertThat(stored).hasSize(100);
        assertThat(blockSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(7));
    }
}
