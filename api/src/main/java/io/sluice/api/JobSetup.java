package io.sluice.api;

import io.sluice.api.config.Config;
import io.sluice.checkpoint.Epoch;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;

/** What the driver offers a job when it builds the job's outputs for a run. */
public interface JobSetup {
    /** Every property of the run, validated (the job reads its own {@code sluice.job.<name>.*} keys). */
    Config config();

    /** The epoch this driver leads with. */
    Epoch epoch();

    /** The {@code spark.hadoop.*} properties of this run, prefix removed (a task output captures these). */
    Map<String, String> hadoopProperties();

    /** The Hadoop configuration built from {@link #hadoopProperties()}. */
    Configuration hadoop();

    /** The driver's HBase connection; null when no job of the run uses HBase. */
    Connection hbase();

    /** Re-reads what the source committed, for a job that rebuilds state at start. */
    SourceReplay replay();
}
