package io.sluice.bench;

import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import io.sluice.testkit.server.EmbeddedKafka;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Measures latency at a paced rate: a fresh topic, the contender started on it, the generator sending at
 * {@code rate} for {@code duration}, and a watcher that polls the contender's committed offsets every 10 ms. Event
 * {@code seq} goes to partition {@code seq % P} in order, so it is offset {@code seq / P} there; its latency is the
 * time from its send to the first poll that sees it committed.
 */
final class LatencyProbe {
    private LatencyProbe() {}

    static LatencyFigures measure(
            Contender contender, BenchContext context, EmbeddedKafka kafka, double rate, Duration duration)
            throws Exception {
        int partitions = context.workload().partitions();
        String topic = "bench-paced-" + contender.name();
        kafka.createTopic(topic, partitions);
        int events = (int) Math.max(partitions, rate * duration.toSeconds());
        AtomicLongArray sentAt = new AtomicLongArray(events);
        long[] latencies = new long[events];
        int measured = 0;
        try (PacedRun run = contender.startPaced(context, topic)) {
            EventGenerator generator =
                    new EventGenerator(context.workload().generator().seed() + 1, 0, 0);
            CompletableFuture<Long> sending = CompletableFuture.supplyAsync(() -> {
                try (EventProducer producer = new EventProducer(context.bootstrapServers(), topic)) {
                    return producer.send(
                            generator,
                            0,
                            events,
                            (long) rate,
                            () -> true,
                            seq -> false,
                            seq -> sentAt.set((int) seq, System.nanoTime()));
                } catch (Exception e) {
                    throw new IllegalStateException("paced producer failed: " + e, e);
                }
            });
            long[] seen = new long[partitions];
            long deadline = System.nanoTime() + duration.toNanos() + TimeUnit.MINUTES.toNanos(5);
            while (measured < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(contender.name() + ": only " + measured + " of " + events
                            + " paced events committed in time");
                }
                TimeUnit.MILLISECONDS.sleep(10); // the polling period is the measurement's resolution
                Map<Integer, Long> committed = run.committed();
                long now = System.nanoTime();
                for (int p = 0; p < partitions; p++) {
                    long next = committed.getOrDefault(p, 0L);
                    for (long offset = seen[p]; offset < next; offset++) {
                        long seq = offset * partitions + p;
                        if (seq < events && sentAt.get((int) seq) > 0) {
                            latencies[measured++] = now - sentAt.get((int) seq);
                        }
                    }
                    seen[p] = Math.max(seen[p], next);
                }
            }
            sending.join();
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        return new LatencyFigures(
                contender.name(),
                rate,
                measured,
                TimeUnit.NANOSECONDS.toMillis(sorted[measured / 2]),
                TimeUnit.NANOSECONDS.toMillis(sorted[Math.min(measured - 1, (int) (measured * 0.99))]),
                TimeUnit.NANOSECONDS.toMillis(sorted[measured - 1]));
    }
}
