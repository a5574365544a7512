package io.sluice.jobs.pipeline;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.EventSchema;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What the pipeline's task side needs to parse, deduplicate and classify a partition batch: small, immutable, captured
 * by Spark closures.
 *
 * @param archiveRoots the archive job's roots (empty without it); the first is push ingestion's replay source
 * @param hadoopProperties Hadoop properties for reaching the archive roots (the {@code spark.hadoop.*} properties of
 *     the current run, prefix removed). Carried here rather than read from the SparkConf because a context restored
 *     from a checkpoint keeps the SparkConf of the run that wrote it.
 */
public record PipelineSettings(
        ParserLimits parserLimits,
        EventSchema schema,
        List<String> archiveRoots,
        HBaseSettings hbase,
        ResultsSettings results,
        Map<String, String> hadoopProperties)
        implements Serializable {
    public PipelineSettings {
        archiveRoots = List.copyOf(archiveRoots);
        hadoopProperties = Map.copyOf(hadoopProperties);
    }

    /** The parser of this run's events. */
    public EventParser parser() {
        return new EventParser(parserLimits, schema);
    }

    @Override
    public String toString() {
        return "PipelineSettings[archiveRoots=" + archiveRoots + ", hbase=" + hbase.eventTable() + "]";
    }
}
