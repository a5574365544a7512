package io.sluice.bench;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling per core: one thread reads the topic from Kafka (same broker, same bytes) and parses every record with
 * Sluice's parser. Nothing is written.
 */
final class ParseLimit implements Contender {
    @Override
    public String name() {
        return "parse-limit";
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) {
        Workload workload = context.workload();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(50 * 1024 * 1024));
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        RunMeter meter = null;
        long valid = 0;
        long read = 0;
        long started;
        long finished;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < workload.partitions(); p++) {
                partitions.add(new TopicPartition(workload.topic(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            meter = RunMeter.start(context.servers());
            started = meter.startedNanos();
            while (read < workload.events()) {
                meter.progress(read);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (parser.parse(record.value()) instanceof ParseOutcome.Valid) {
                        valid++;
                    }
                    read++;
                }
            }
            finished = System.nanoTime();
        }
        RunMeter.Cost cost = meter.finish(read);
        double seconds = (finished - started) / 1e9;
        boolean exact = valid == workload.truth().validIds().size();
        return new RunFigures(
                name(),
                repetition,
                warmUp,
                read,
                seconds,
                read / seconds,
                read / seconds,
                1,
                0,
                0,
                0,
                0,
                meter.jvm().heapPeakMb(),
                meter.jvm().gcMs(),
                exact,
                "valid parsed " + valid + " of " + workload.truth().validIds().size(),
                cost,
                Map.of(),
                null,
                Map.of());
    }
}
