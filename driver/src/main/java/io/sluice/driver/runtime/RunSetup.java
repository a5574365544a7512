package io.sluice.driver.runtime;

import io.sluice.api.JobSetup;
import io.sluice.api.SourceReplay;
import io.sluice.api.config.Config;
import io.sluice.checkpoint.Epoch;
import io.sluice.driver.config.SluiceSettings;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;

/** What this run offers its jobs as they build their outputs. */
record RunSetup(SluiceSettings settings, Epoch epoch, Configuration hadoop, Connection hbase, SourceReplay replay)
        implements JobSetup {
    @Override
    public Config config() {
        return settings.config();
    }

    @Override
    public Map<String, String> hadoopProperties() {
        return settings.pipeline().hadoopProperties();
    }
}
