package io.sluice.demo;

import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import java.util.Map;

/**
 * Which generated events the topic already holds, read from its end offsets. The generator sends event {@code seq}
 * to partition {@code seq % P}, in order, with an idempotent producer and one request in flight, so partition
 * {@code p} holds exactly the events {@code p, p + P, p + 2P, ...}, as many as its end offset. A demo killed with
 * {@code kill -9} may have sent more than it recorded; the next run asks Kafka instead, so it sends nothing twice.
 */
record SentEvents(long[] perPartition) {

    /** @param sendingTo how many of the topic's partitions get events (the first ones; see {@link EventProducer}) */
    static SentEvents read(String bootstrapServers, String topic, int sendingTo) {
        Map<TopicPartitionKey, Long> ends;
        try (TopicEnds topicEnds = new TopicEnds(bootstrapServers, topic)) {
            ends = topicEnds.endOffsets();
        }
        long[] counts = new long[Math.min(sendingTo, ends.size())];
        ends.forEach((key, end) -> {
            if (key.partition() < counts.length) {
                counts[key.partition()] = end;
            }
        });
        return new SentEvents(counts);
    }

    /** Whether event {@code seq} is in the topic already. */
    boolean contains(long seq) {
        int partitions = perPartition.length;
        return seq / partitions < perPartition[EventGenerator.partition(seq, partitions)];
    }

    /** The first event the topic does not hold: every event before it is there. */
    long firstMissing() {
        long first = Long.MAX_VALUE;
        for (int p = 0; p < perPartition.length; p++) {
            first = Math.min(first, p + perPartition[p] * perPartition.length);
        }
        return first;
    }

    int partitions() {
        return perPartition.length;
    }

    long total() {
        long total = 0;
        for (long n : perPartition) {
            total += n;
        }
        return total;
    }
}
