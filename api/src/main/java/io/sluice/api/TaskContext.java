package io.sluice.api;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;

/** What a task of one batch offers a job's {@link TaskOutput}. */
public interface TaskContext {
    /** When a source gives no arrival for the batch (see {@link #arrival()}). */
    long NO_ARRIVAL = -1;

    /**
     * The batch's stage: a name unique to the batch and the leader's epoch. Files written under it are published
     * after the batch committed, and rolled back at the next start when it did not.
     */
    String stage();

    /** When the batch's records arrived, the same in every replay (push: the receiver's stamp), or {@link #NO_ARRIVAL}. */
    long arrival();

    /** The Hadoop configuration of this run (the {@code spark.hadoop.*} properties), for file systems. */
    Configuration hadoop();

    /** An HBase connection shared by the tasks of this executor; null when no job of the run uses HBase. */
    Connection hbase();

    /** Adds to this job's counter {@code name}: shown on {@code /metrics} as {@code sluice_job_<name>_total{job}}. */
    void count(String name, long n);

    /**
     * Sends a small sum to the job's driver side ({@link BatchResult#reports()}); only a task whose every write
     * succeeded should report, so report last.
     */
    void report(Serializable sum);
}
