package io.sluice.jobs.source;

import io.sluice.api.SourceReplay;
import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Kafka's replay (docs/commit-protocol.md, "Results"): one Spark batch job reads ({@link KafkaRangeReader}) every
 * partition from its replay position up to its committed offset, drops the copies of an {@code event_id} another
 * position owns (read from the claims the streaming job made), and folds each partition's range in its task. Nothing
 * is written: the outputs of that range are committed already.
 */
public final class KafkaReplay implements SourceReplay {
    private final JavaSparkContext sc;
    private final KafkaSourceSettings kafka;
    private final EventParser parser;
    private final HBaseSettings hbase;

    public KafkaReplay(JavaSparkContext sc, KafkaSourceSettings kafka, EventParser parser, HBaseSettings hbase) {
        this.sc = sc;
        this.kafka = kafka;
        this.parser = parser;
        this.hbase = hbase;
    }

    /** A partition's records are in offset order. */
    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public boolean reads(TopicPartitionKey partition) {
        return kafka.topics().contains(partition.topic());
    }

    @Override
    public <T extends Serializable> List<T> replay(
            Map<TopicPartitionKey, ReplayPosition> from, CommittedOffsets committed, Fold<T> fold) {
        List<SourceRange> ranges = new ArrayList<>();
        Map<TopicPartitionKey, ReplayPosition> starts = new HashMap<>();
        for (Map.Entry<TopicPartitionKey, ReplayPosition> p : from.entrySet()) {
            long until = committed.next(p.getKey()).orElse(p.getValue().from());
            if (p.getValue().from() < until && reads(p.getKey())) {
                ranges.add(new SourceRange(p.getKey(), p.getValue().from(), until));
                starts.put(p.getKey(), p.getValue());
            }
        }
        if (ranges.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new HashMap<>(KafkaSource.consumerParams(kafka));
        EventParser eventParser = parser;
        HBaseSettings claims = hbase;
        return sc.parallelize(ranges, ranges.size())
                .map(range -> {
                    PartitionBatch batch = KafkaRangeReader.parse(params, range, eventParser);
                    if (claims.enabled() && eventParser.schema().hasIdField()) { // the copies the stream dropped
                        try (Connection c = ConnectionFactory.createConnection(claims.clientConfiguration())) {
                            batch = EventClaims.owned(c, claims, batch, EventClaims.position(range.key()));
                        }
                    }
                    return fold.fold(starts.get(range.key()), List.of(batch));
                })
                .collect();
    }
}
