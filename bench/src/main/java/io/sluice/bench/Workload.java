package io.sluice.bench;

import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.generator.Mix;
import io.sluice.testkit.generator.Shape;
import io.sluice.testkit.server.EmbeddedKafka;

/**
 * The benchmark's input: the demo generator's ~600-byte events (seeded, 1 % malformed, none late), written to a topic
 * before any timing starts, and what the outputs must hold afterwards.
 */
record Workload(String topic, int partitions, long events, EventGenerator generator, GroundTruth truth) {
    static final double MALFORMED_SHARE = 0.01;

    static Workload preload(EmbeddedKafka kafka, String topic, int partitions, long events, long seed)
            throws Exception {
        return preload(kafka, topic, partitions, events, seed, Shape.DEFAULT);
    }

    /** The same with events of {@code shape} (the scaling curves). */
    static Workload preload(EmbeddedKafka kafka, String topic, int partitions, long events, long seed, Shape shape)
            throws Exception {
        kafka.createTopic(topic, partitions);
        EventGenerator generator = new EventGenerator(
                seed, Mix.classic(MALFORMED_SHARE, 0), EventGenerator.defaultStart(System.currentTimeMillis()), shape);
        long started = System.nanoTime();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers(), topic)) {
            long sent = producer.send(generator, 0, events, 0, () -> true);
            if (sent != events) {
                throw new IllegalStateException("pre-loaded " + sent + " of " + events + " events");
            }
        }
        System.out.printf(
                "bench: pre-loaded %,d events into %s (%d partitions) in %.1f s%n",
                events, topic, partitions, (System.nanoTime() - started) / 1e9);
        return new Workload(topic, partitions, events, generator, GroundTruth.of(generator, events));
    }

    /** The mean size of the workload's events in bytes, from a sample of the first 1,000. */
    double meanEventBytes() {
        long n = Math.min(1_000, events);
        long bytes = 0;
        for (long seq = 0; seq < n; seq++) {
            bytes += generator.event(seq).json().length;
        }
        return n == 0 ? 0 : (double) bytes / n;
    }
}
