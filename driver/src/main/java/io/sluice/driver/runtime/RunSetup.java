package io.sluice.driver.runtime;

import io.sluice.api.JobSetup;
import io.sluice.api.SourceReplay;
import io.sluice.api.config.Config;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;

/** What this run offers its jobs as they build their outputs. */
public record RunSetup(
        SluiceSettings settings, Epoch epoch, Configuration hadoop, Connection hbase, SourceReplay replay)
        implements JobSetup {
    /**
     * What a run that only builds jobs' task sides offers them ({@code sluice replay}): no source to replay, as no
     * driver side rebuilds state.
     */
    public static RunSetup forTaskSides(SluiceSettings settings, Epoch epoch, Connection hbase) {
        return new RunSetup(
                settings,
                epoch,
                ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()),
                hbase,
                new SourceReplay() {
                    @Override
                    public boolean ordered() {
                        throw new UnsupportedOperationException("a replay's jobs rebuild no state");
                    }

                    @Override
                    public <T extends Serializable> List<T> replay(
                            Map<TopicPartitionKey, ReplayPosition> from, CommittedOffsets committed, Fold<T> fold) {
                        throw new UnsupportedOperationException("a replay's jobs rebuild no state");
                    }
                });
    }

    @Override
    public Config config() {
        return settings.config();
    }

    @Override
    public Map<String, String> hadoopProperties() {
        return settings.pipeline().hadoopProperties();
    }
}
