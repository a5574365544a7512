package io.sluice.jobs.pipeline;

import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.io.Serializable;
import java.util.List;

/** Everything a task needs to parse and write a partition batch: small, immutable, captured by Spark closures. */
public record PipelineSettings(ParserLimits parserLimits, List<String> archiveRoots, HBaseSettings hbase)
        implements Serializable {
    public PipelineSettings {
        archiveRoots = List.copyOf(archiveRoots);
    }
}
