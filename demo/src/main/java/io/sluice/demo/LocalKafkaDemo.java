package io.sluice.demo;

import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.sink.hbase.ResultsReader;
import io.sluice.jobs.source.TopicEnds;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * The default mode: the driver in this JVM ({@code local[2]}) reads the topic the generator writes to; progress every
 * 2 s until every event sent is committed, then the verification.
 */
final class LocalKafkaDemo {
    private LocalKafkaDemo() {}

    static int run(DemoRun run, DriverRuntime driver) throws Exception {
        SentEvents inKafka =
                SentEvents.read(run.servers.kafka().bootstrapServers(), DemoRun.TOPIC, run.options.partitions());
        if (inKafka.firstMissing() != run.sent()) {
            System.out.printf(
                    "demo: Kafka holds %,d events, the last run recorded %,d (it did not stop cleanly):"
                            + " continuing at event %,d without sending any event twice%n",
                    inKafka.total(), run.sent(), inKafka.firstMissing());
            run.sent(inKafka.firstMissing());
        }
        long target = run.target();
        CompletableFuture<Long> producing = CompletableFuture.supplyAsync(() -> run.produce(target, inKafka));
        boolean complete = watch(run, driver, producing);
        driver.stop(true);
        return !complete || run.verify("") ? 0 : 1;
    }

    /**
     * Shows progress until every produced event is committed (true) or the driver stops (false). Nothing on the line
     * waits on a sink: the newest top experiments are read from HBase on a thread of their own, and a frozen HBase
     * only leaves the last ones shown.
     */
    private static boolean watch(DemoRun run, DriverRuntime driver, CompletableFuture<Long> producing)
            throws Exception {
        ProgressDisplay display = new ProgressDisplay(run.sent());
        AtomicReference<Optional<TopRow>> top = new AtomicReference<>(Optional.empty());
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "demo-top-reader");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<?> reading = CompletableFuture.completedFuture(null);
        try (TopicEnds ends = new TopicEnds(run.servers.kafka().bootstrapServers(), DemoRun.TOPIC);
                Connection hbase = ConnectionFactory.createConnection(
                        run.settings.pipeline().hbase().clientConfiguration())) {
            ResultsReader results =
                    new ResultsReader(hbase, run.settings.pipeline().results().table());
            while (true) {
                if (driver.awaitTermination(2000)) {
                    return false;
                }
                long lag = driver.committed().lag(ends.endOffsets());
                display.print(run.sent(), driver.metrics().snapshot(), lag);
                display.printTop(top.get());
                if (reading.isDone() && run.settings.pipeline().results().enabled()) {
                    reading = CompletableFuture.runAsync(
                            () -> {
                                try {
                                    top.set(results.latestTop());
                                } catch (Exception e) {
                                    // HBase down or frozen: the last top shown stays
                                }
                            },
                            reader);
                }
                if (producing.isDone()) {
                    producing.join();
                    if (lag == 0) {
                        return true;
                    }
                }
            }
        } finally {
            reader.shutdownNow();
        }
    }
}
