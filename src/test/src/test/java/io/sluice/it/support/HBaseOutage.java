package io.sluice.it.support;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.junit.HBaseExtension;
import io.sluice.testkit.server.ChildProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * HBase killed ({@code kill -9} of its process: master, region server and its ZooKeeper) for a while under a running
 * driver, then restarted on the same data. The batch during which HBase goes down waits for HBase's operation timeout
 * (per round of tasks, then the results' own write) before its HBase jobs lag; from then on, every measure given must
 * advance in every window of the outage.
 */
public final class HBaseOutage {
    private static final Duration WINDOW = Duration.ofSeconds(20);

    private HBaseOutage() {}

    /**
     * Kills HBase for {@code down}; waits until ZooKeeper shows the event store and the results lagging at their own
     * positions and {@code /metrics} shows the event store's {@code lagGauge} above zero; then checks every 20 s until
     * {@code down} has passed that the driver lives and every measure of {@code advancing} grew; restarts HBase.
     */
    public static void killFor(
            Duration down,
            PipelineScenario scenario,
            ChildProcess driver,
            String lagGauge,
            Map<String, Callable<Long>> advancing)
            throws Exception {
        HBaseExtension.server().kill();
        long killedAt = System.nanoTime();
        try {
            StatusClient status = StatusClient.of(driver);
            eventually(
                    down,
                    () -> {
                        assertThat(driver.isAlive())
                                .as("driver alive (log %s)", driver.log())
                                .isTrue();
                        return scenario.committedOffsets()
                                        .lagging()
                                        .keySet()
                                        .containsAll(List.of("event-store", "results"))
                                && status.jobGaugePositive(lagGauge, "event-store");
                    },
                    "the event store and the results lag at their own positions, the lag on /metrics");
            System.out.printf(
                    "HBaseOutage: the HBase jobs lag %d s after the kill%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt));
            Map<String, Long> before = new LinkedHashMap<>();
            for (Map.Entry<String, Callable<Long>> measure : advancing.entrySet()) {
                before.put(measure.getKey(), measure.getValue().call());
            }
            while (System.nanoTime() - killedAt < down.toNanos()) {
                TimeUnit.MILLISECONDS.sleep(WINDOW.toMillis());
                assertThat(driver.isAlive())
                        .as("driver alive (log %s)", driver.log())
                        .isTrue();
                for (Map.Entry<String, Callable<Long>> measure : advancing.entrySet()) {
                    long now = measure.getValue().call();
                    assertThat(now)
                            .as(
                                    "%s %d s after HBase was killed (log %s)",
                                    measure.getKey(),
                                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt),
                                    driver.log())
                            .isGreaterThan(before.get(measure.getKey()));
                    before.put(measure.getKey(), now);
                }
            }
        } finally {
            HBaseExtension.server().restart();
        }
    }
}
