package io.sluice.it.support;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.ZooKeeperExtension;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.ReceiverToken;
import io.sluice.testkit.verify.Outcome;
import io.sluice.wal.EventSender;
import io.sluice.wal.ReceiverRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** Push ingestion in the end-to-end tests: the scenario's settings, the sender, and the exactness checks. */
public final class Pushing {
    private Pushing() {}

    /**
     * Turns a scenario into a push-ingestion one: two receivers on 127.0.0.1, any free ports, no Kafka keys; senders
     * need the token ({@link ReceiverToken}, in the driver's environment); plain HTTP, since these tests are about
     * what the pipeline does with the events (receivers over TLS are tested in the wal and driver modules).
     */
    public static PipelineScenario configure(PipelineScenario scenario) {
        scenario.set("sluice.source", "http")
                .set("sluice.http-source.host", "127.0.0.1")
                .set("sluice.http-source.ports", "0-0")
                .set("sluice.http-source.token-env", ReceiverToken.ENV)
                .set("sluice.http-source.plain-http", "true");
        scenario.properties().keySet().removeIf(k -> k.startsWith("sluice.kafka."));
        return scenario;
    }

    public static String registry(PipelineScenario scenario) {
        return ZooKeeperPaths.forApplication(scenario.properties().get("sluice.app.name"))
                .receivers();
    }

    public static EventSender sender(PipelineScenario scenario) {
        return EventSender.discovering(
                ZooKeeperExtension.server().connectString(),
                registry(scenario),
                EventSender.Options.defaults()
                        .withPlainHttp()
                        .withToken(ReceiverToken.VALUE)
                        .withBatchSize(250)
                        .withGzip(true));
    }

    public static Iterator<byte[]> events(EventGenerator generator, long from, long until) {
        return LongStream.range(from, until)
                .mapToObj(seq -> generator.event(seq).ndjsonLine())
                .iterator();
    }

    /** Sends all events in chunks of 1,000 about every 200 ms (about 5,000/s), on another thread. */
    public static CompletableFuture<Long> sendPaced(EventSender sender, EventGenerator generator, long events) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                long sent = 0;
                for (long from = 0; from < events; from += 1_000) {
                    sent += sender.send(events(generator, from, Math.min(events, from + 1_000)));
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                return sent;
            } catch (Exception e) {
                throw new IllegalStateException("sending failed", e);
            }
        });
    }

    /** One raw {@code POST /events} of {@code body} to {@code receiver} ({@code host:port}), without any retry. */
    public static HttpResponse<String> post(String receiver, byte[] body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + receiver + "/events"))
                                .timeout(Duration.ofMinutes(2))
                                .header("Content-Type", "application/x-ndjson")
                                .header("Authorization", "Bearer " + ReceiverToken.VALUE)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The receivers registered now. */
    public static List<String> receivers(PipelineScenario scenario) throws Exception {
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(ZooKeeperExtension.server().connectString(), new RetryOneTime(200))) {
            zk.start();
            return ReceiverRegistry.live(zk, registry(scenario));
        }
    }

    public static void awaitReceivers(PipelineScenario scenario, ChildProcess driver, int count) {
        eventually(
                Duration.ofMinutes(3),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    return receivers(scenario).size() == count;
                },
                count + " receivers registered");
    }

    /**
     * Waits until HBase and the archive hold every acknowledged event, then checks that nothing is lost or doubled and
     * that the results table equals a recount of the archive.
     */
    public static void awaitExact(PipelineScenario scenario, GroundTruth truth, ChildProcess driver) {
        awaitExact(scenario, truth, driver, false);
    }

    /**
     * As {@link #awaitExact(PipelineScenario, GroundTruth, ChildProcess)} when senders re-sent requests the test cannot
     * name (a request to a frozen or deposed receiver): their valid copies are dropped, their dead letters, which have
     * no identity, are written twice, so each reason may count more than the truth, never less.
     */
    public static void awaitExactWithResentRequests(PipelineScenario scenario, GroundTruth truth, ChildProcess driver) {
        awaitExact(scenario, truth, driver, true);
    }

    private static void awaitExact(
            PipelineScenario scenario, GroundTruth truth, ChildProcess driver, boolean resentDeadLetters) {
        Outcome[] last = {null};
        eventually(
                Duration.ofMinutes(4),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    last[0] = scenario.verify(truth);
                    return last[0].hbaseRows() >= truth.validIds().size()
                            && last[0].archived() >= truth.validIds().size()
                            && last[0].deadLetter() >= truth.deadLetters();
                },
                "every acknowledged event written");
        Outcome outcome = last[0];
        System.out.println("push: " + outcome.summary());
        assertThat(outcome.lost()).as(outcome.summary()).isZero();
        assertThat(outcome.duplicated()).as(outcome.summary()).isZero();
        if (resentDeadLetters) {
            assertThat(outcome.hbaseRows())
                    .as(outcome.summary())
                    .isEqualTo(truth.validIds().size());
            assertThat(outcome.archived())
                    .as(outcome.summary())
                    .isEqualTo(truth.validIds().size());
            assertThat(outcome.tooLate())
                    .as(outcome.summary())
                    .isEqualTo(truth.tooLateIds().size());
            assertThat(outcome.future())
                    .as(outcome.summary())
                    .isEqualTo(truth.futureIds().size());
            truth.deadLettersByReason().forEach((reason, n) -> assertThat(
                            outcome.deadLetterReasons().getOrDefault(reason, 0L))
                    .as("dead letters %s (re-sent requests' twice): %s", reason, outcome.summary())
                    .isGreaterThanOrEqualTo(n));
            assertThat(outcome.deadLetterReasons().keySet())
                    .as("dead-letter reasons")
                    .isEqualTo(truth.deadLettersByReason().keySet());
        } else {
            assertThat(outcome.exact(truth)).as(outcome.summary()).isTrue();
        }
        try {
            ResultsCheck.Report results = scenario.checkResults();
            System.out.println("push: results " + results.summary());
            assertThat(results.differences())
                    .as("results table vs recount of the archive: %s", results.summary())
                    .isEmpty();
            assertThat(results.recountedEvents()).isEqualTo(truth.validIds().size());
            assertThat(results.topRows()).as("top rows written").isPositive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
