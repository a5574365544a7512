package io.sluice.jobs.results;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.jobs.source.KafkaSourceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * Rebuilds the results state of a commit at start (docs/commit-protocol.md, "Results"): one Spark batch job reads
 * every partition from its {@link ReplayPosition} up to its committed offset and classifies and sums the events
 * exactly as the streaming job did. Nothing is written: the outputs of that range are committed already.
 */
public final class ResultsReplay {
    private ResultsReplay() {}

    /** What the replay read: one entry per partition that had anything to replay. */
    public static List<PartitionResults> replay(
            JavaSparkContext sc,
            KafkaSourceSettings kafka,
            ParserLimits limits,
            ResultsSettings settings,
            CommittedOffsets committed) {
        List<OffsetRange> ranges = new ArrayList<>();
        List<SourceRange> sourceRanges = new ArrayList<>();
        List<Long> clocks = new ArrayList<>();
        for (Map.Entry<TopicPartitionKey, ReplayPosition> p : committed.replay().entrySet()) {
            long until = committed.next(p.getKey()).orElse(p.getValue().from());
            if (p.getValue().from() < until
                    && kafka.topics().contains(p.getKey().topic())) {
                ranges.add(OffsetRange.create(
                        p.getKey().topic(), p.getKey().partition(), p.getValue().from(), until));
                sourceRanges.add(SourceRange.of(
                        p.getKey().topic(), p.getKey().partition(), p.getValue().from(), until));
                clocks.add(p.getValue().clockAtFrom());
            }
        }
        if (ranges.isEmpty()) {
            return List.of();
        }
        return KafkaUtils.<byte[], byte[]>createRDD(
                        sc,
                        KafkaSource.consumerParams(kafka),
                        ranges.toArray(new OffsetRange[0]),
                        LocationStrategies.PreferConsistent())
                .mapPartitionsWithIndex(
                        (index, records) -> {
                            PartitionBatch batch = PartitionBatch.parse(
                                    sourceRanges.get(index),
                                    records,
                                    ConsumerRecord::offset,
                                    ConsumerRecord::value,
                                    new EventParser(limits));
                            return List.of(ResultsAggregator.classify(settings, batch, clocks.get(index))
                                            .results())
                                    .iterator();
                        },
                        false)
                .collect();
    }
}
