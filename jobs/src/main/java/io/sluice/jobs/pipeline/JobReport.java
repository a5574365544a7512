package io.sluice.jobs.pipeline;

import java.io.Serializable;

/** What a task reported for one job's driver side. */
public record JobReport(String job, Serializable sum) implements Serializable {
    /** A summary: Spark's UI prints every task's accumulator values, and a sum may be large. */
    @Override
    public String toString() {
        return job + ": " + sum;
    }
}
