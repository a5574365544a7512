package io.sluice.bench;

import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.server.EmbeddedKafka;

/**
 * The benchmark's input: the demo generator's ~600-byte events (seeded, 1 % malformed, none late), written to a topic
 * before any timing starts, and what the outputs must hold afterwards.
 */
record Workload(String topic, int partitions, long events, EventGenerator generator, GroundTruth truth) {
    static final double MALFORMED_SHARE = 0.01;

    static Workload preload(EmbeddedKafka kafka, String topic, int partitions, long events, long seed)
            throws Exception {
        kafka.createTopic(topic, partitions);
        EventGenerator generator = new EventGenerator(seed, MALFORMED_SHARE, 0);
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
}
