package io.sluice.driver.ha;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.jobs.source.KafkaSourceSettings;
import io.sluice.jobs.source.TopicEnds;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Consumer lag per partition for the metrics: Kafka's end offsets (read on demand) minus the committed offsets. */
final class LagProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);
    private final KafkaSourceSettings settings;
    private TopicEnds ends;

    LagProbe(KafkaSourceSettings settings) {
        this.settings = settings;
    }

    /** Empty when Kafka does not answer in time: the scrape must not hang. */
    synchronized Map<TopicPartitionKey, Long> lag(CommittedOffsets committed) {
        if (settings == null) {
            return Map.of(); // push ingestion: no Kafka to lag behind
        }
        try {
            if (ends == null) {
                ends = new TopicEnds(KafkaSource.consumerParams(settings), settings.topics(), Duration.ofSeconds(5));
            }
            return committed.lagByPartition(ends.endOffsets());
        } catch (RuntimeException e) {
            LOG.warn("consumer lag unavailable: {}", e.toString());
            return Map.of();
        }
    }

    @Override
    public synchronized void close() {
        if (ends != null) {
            ends.close();
        }
    }
}
