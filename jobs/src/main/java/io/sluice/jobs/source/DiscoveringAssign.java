package io.sluice.jobs.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.ConsumerStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's {@code Assign} strategy plus partition discovery. The driver's consumer is assigned its partitions (it
 * never joins the consumer group, see {@link KafkaSource}); every {@code discoveryMs} it asks the brokers for the
 * topics' partitions and assigns the new ones from their beginning, all of whose records are new. The direct stream
 * reads the consumer's assignment before every batch, so a partition added to a topic is read from the first batch
 * after the next look, with or without a checkpoint (the strategy is part of the checkpointed graph, and a restored
 * stream looks at once).
 */
final class DiscoveringAssign extends ConsumerStrategy<byte[], byte[]> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveringAssign.class);

    private final List<String> topics;
    /** Without the secrets: the strategy (and the stream's executor parameters) are written to the checkpoint. */
    private final HashMap<String, Object> params;
    /** Their references, resolved again when the driver's consumer starts, a restored one included. */
    private final KafkaSecrets secrets;

    private final HashMap<TopicPartition, Long> offsets;
    private final long discoveryMs;

    DiscoveringAssign(
            List<String> topics,
            Map<String, Object> params,
            KafkaSecrets secrets,
            Map<TopicPartition, Long> offsets,
            long ms) {
        this.topics = List.copyOf(topics);
        this.params = new HashMap<>(params);
        secrets.keys().forEach(this.params::remove);
        this.secrets = secrets.withoutValues();
        this.offsets = new HashMap<>(offsets);
        this.discoveryMs = ms;
    }

    /**
     * The parameters of the stream's RDDs, without the secrets: Sluice's tasks read their ranges themselves with the
     * current run's parameters ({@link KafkaRangeReader}), so the stream's RDDs are never computed and no executor
     * connects with these.
     */
    @Override
    public Map<String, Object> executorKafkaParams() {
        return params;
    }

    @Override
    public Consumer<byte[], byte[]> onStart(Map<TopicPartition, Long> currentOffsets) {
        Map<TopicPartition, Long> toSeek = currentOffsets.isEmpty() ? offsets : currentOffsets;
        Map<String, Object> withSecrets = new HashMap<>(params);
        if (secrets != null) { // null in a checkpoint written before secrets existed
            withSecrets.putAll(secrets.resolveAgain().values());
        }
        Discovering consumer = new Discovering(withSecrets, topics, discoveryMs);
        consumer.assign(toSeek.keySet());
        toSeek.forEach(consumer::seek);
        return consumer;
    }

    /** A consumer whose assignment grows by the partitions added to its topics. */
    static final class Discovering extends KafkaConsumer<byte[], byte[]> {
        private final List<String> topics;
        private final long discoveryNanos;
        private long lastLook;
        private boolean looked;

        Discovering(Map<String, Object> params, List<String> topics, long discoveryMs) {
            super(params);
            this.topics = topics;
            this.discoveryNanos = TimeUnit.MILLISECONDS.toNanos(discoveryMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            long now = System.nanoTime();
            if (discoveryNanos > 0 && (!looked || now - lastLook >= discoveryNanos)) {
                looked = true;
                lastLook = now;
                discover();
            }
            return super.assignment();
        }

        private void discover() {
            Set<TopicPartition> known = super.assignment();
            Set<TopicPartition> added = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
            try {
                // listTopics asks the brokers; partitionsFor would answer from metadata that may be minutes old
                Map<String, List<PartitionInfo>> all = listTopics(Duration.ofSeconds(10));
                for (String topic : topics) {
                    for (PartitionInfo info : all.getOrDefault(topic, List.of())) {
                        TopicPartition tp = new TopicPartition(topic, info.partition());
                        if (!known.contains(tp)) {
                            added.add(tp);
                        }
                    }
                }
            } catch (KafkaException e) { // the brokers answer next time; the batch goes on with what it has
                LOG.warn("could not look for new partitions of {}: {}", topics, e.toString());
                return;
            }
            if (added.isEmpty()) {
                return;
            }
            Set<TopicPartition> assigned = new HashSet<>(known);
            assigned.addAll(added);
            assign(assigned);
            seekToBeginning(added);
            LOG.info("partitions added to the topics, read from their beginning: {}", added);
        }
    }
}
