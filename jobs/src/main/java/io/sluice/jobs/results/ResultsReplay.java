package io.sluice.jobs.results;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import io.sluice.jobs.source.KafkaRangeReader;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.jobs.source.KafkaSourceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Rebuilds the results state of a commit at start (docs/commit-protocol.md, "Results"): one Spark batch job reads
 * ({@link KafkaRangeReader}) every partition from its {@link ReplayPosition} up to its committed offset, drops the copies of an
 * {@code event_id} another position owns (read from the claims the streaming job made) and classifies and sums the
 * events exactly as the streaming job did. Nothing is written: the outputs of that range are committed already.
 */
public final class ResultsReplay {
    private ResultsReplay() {}

    /** What the replay read: one entry per partition that had anything to replay. */
    public static List<PartitionResults> replay(
            JavaSparkContext sc,
            KafkaSourceSettings kafka,
            ParserLimits limits,
            ResultsSettings settings,
            HBaseSettings hbase,
            CommittedOffsets committed) {
        List<SourceRange> ranges = new ArrayList<>();
        Map<TopicPartitionKey, ReplayPosition> from = new java.util.HashMap<>();
        for (Map.Entry<TopicPartitionKey, ReplayPosition> p : committed.replay().entrySet()) {
            long until = committed.next(p.getKey()).orElse(p.getValue().from());
            if (p.getValue().from() < until
                    && kafka.topics().contains(p.getKey().topic())) {
                ranges.add(new SourceRange(p.getKey(), p.getValue().from(), until));
                from.put(p.getKey(), p.getValue());
            }
        }
        if (ranges.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new java.util.HashMap<>(KafkaSource.consumerParams(kafka));
        return sc.parallelize(ranges, ranges.size())
                .map(range -> {
                    PartitionBatch batch = KafkaRangeReader.parse(params, range, limits);
                    if (hbase.enabled()) { // the copies the streaming job dropped as duplicates
                        try (Connection c = ConnectionFactory.createConnection(hbase.clientConfiguration())) {
                            batch = EventClaims.owned(c, hbase, batch, EventClaims.position(range.key()));
                        }
                    }
                    ReplayPosition position = from.get(range.key());
                    return ResultsAggregator.classify(settings, batch, position.clockAtFrom(), position.floors())
                            .results();
                })
                .collect();
    }
}
