package io.sluice.testkit.generator;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends generated events to Kafka at a target rate with an idempotent producer (acks=all), so a retried send never
 * duplicates an event, and one request in flight, so batches land in order. A send Kafka did not acknowledge is
 * reported, never counted as sent. Event {@code seq} goes to partition {@code seq % partitions}
 * ({@link EventGenerator#partition}), where {@code partitions} may leave the topic's last partitions without events.
 */
public final class EventProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;

    /** The partitions events are sent to: event {@code seq} goes to {@code seq % partitions()}. */
    public int partitions() {
        return partitions;
    }

    public EventProducer(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, Integer.MAX_VALUE);
    }

    /**
     * @param sendingTo how many of the topic's partitions get events (the first ones); the others stay idle
     */
    public EventProducer(String bootstrapServers, String topic, int sendingTo) {
        this(bootstrapServers, topic, sendingTo, java.util.Map.of());
    }

    /**
     * @param sendingTo how many of the topic's partitions get events (the first ones); the others stay idle
     * @param clientProperties added to the producer's (a secured broker's TLS and SASL settings)
     */
    public EventProducer(
            String bootstrapServers, String topic, int sendingTo, java.util.Map<String, Object> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // one request in flight: a failed batch can never be overtaken by the next (OutOfOrderSequenceException)
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
        this.partitions = Math.min(sendingTo, producer.partitionsFor(topic).size());
    }

    /**
     * Sends events {@code [from, until)} at about {@code perSecond} (0 = as fast as possible), until done or
     * {@code keepGoing} turns false; returns the sequence number after the last event sent and acknowledged.
     */
    public long send(EventGenerator generator, long from, long until, long perSecond, BooleanSupplier keepGoing)
            throws Exception {
        return send(generator, from, until, perSecond, keepGoing, seq -> false);
    }

    /** As {@link #send(EventGenerator, long, long, long, BooleanSupplier)}, skipping the events {@code inKafka} names. */
    public long send(
            EventGenerator generator,
            long from,
            long until,
            long perSecond,
            BooleanSupplier keepGoing,
            java.util.function.LongPredicate inKafka)
            throws Exception {
        return send(generator, from, until, perSecond, keepGoing, inKafka, seq -> {});
    }

    /** As above, telling {@code sending} each event's sequence number just before it is handed to the producer. */
    public long send(
            EventGenerator generator,
            long from,
            long until,
            long perSecond,
            BooleanSupplier keepGoing,
            java.util.function.LongPredicate inKafka,
            java.util.function.LongConsumer sending)
            throws Exception {
        long started = System.nanoTime();
        long seq = from;
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (; seq < until && keepGoing.getAsBoolean() && failure.get() == null; seq++) {
            if (inKafka.test(seq)) {
                continue;
            }
            GeneratedEvent e = generator.event(seq);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    topic,
                    EventGenerator.partition(seq, partitions),
                    e.arrival(), // the record timestamp: the event's arrival, which bounds how far ahead it may be
                    Long.toString(seq).getBytes(),
                    e.json());
            sending.accept(seq);
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            if (perSecond > 0 && (seq - from) % 100 == 99) {
                long due = started + (seq - from + 1) * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing, not synchronisation
                }
            }
        }
        producer.flush();
        if (failure.get() != null) {
            // never report an event as sent that Kafka did not acknowledge
            throw new IllegalStateException("sending to " + topic + " failed: " + failure.get(), failure.get());
        }
        return seq;
    }

    @Override
    public void close() {
        producer.close();
    }
}
