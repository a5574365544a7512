package io.sluice.api;

import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * A job on the one stream: what it writes for every batch, and optionally what it does on the driver around the
 * batch's commit. Sluice finds jobs with {@link java.util.ServiceLoader} (a line naming the class in {@code
 * META-INF/services/io.sluice.api.SluiceJob}) and runs those named in {@code sluice.jobs}, so a jar on the classpath adds
 * one without touching Sluice. Every job of a batch sees the same parsed, deduplicated batch; the batch commits when
 * all of them succeeded.
 *
 * <p>Exactly once rests on the job: its task side must write idempotently (into the batch's stage, which is published
 * after the commit, or into cells keyed by the source position), since a batch that failed anywhere is written again,
 * by this driver or the next.
 */
public interface SluiceJob {
    /** The name in {@code sluice.jobs}, in metric labels and in log lines: lower-case letters, digits and '-'. */
    String name();

    /**
     * This job's properties, every key under {@code sluice.job.<name>.}: validated with the rest before any
     * SparkContext exists, and listed in the README's property table. None by default.
     */
    default ConfigDef config() {
        return new ConfigDef("job " + name());
    }

    /** Other jobs that {@code sluice.jobs} must name for this one to run (e.g. a job reading another's table). */
    default Set<String> requires() {
        return Set.of();
    }

    /**
     * Fields an event must have for this job, given the run's properties (a top-level field, or {@code attributes.<key>}
     * of the free map): an event without one is a dead letter for this job alone ({@code missing_field}, the detail
     * naming the job), and the other jobs still get it.
     */
    default Set<String> requiredFields(Config config) {
        return Set.of();
    }

    /** Whether this job writes to HBase: the driver then opens a connection, and {@link TaskContext#hbase()} gives one. */
    default boolean usesHBase() {
        return false;
    }

    /**
     * Whether this job is the dead-letter sink: it then writes after the other jobs, and its batch holds, with the
     * batch's own dead letters, the events the other jobs dead-lettered for themselves.
     */
    default boolean writesDeadLetters() {
        return false;
    }

    /**
     * Checks rules across this job's keys once {@link #config()} parsed them.
     *
     * @throws io.sluice.api.config.ConfigException naming the key and what is expected
     */
    default void validate(Config config) {}

    /**
     * The task side, built on the driver once per run and sent with every task of every batch: small and {@link
     * java.io.Serializable}, holding settings, never clients.
     */
    TaskOutput taskOutput(JobSetup setup) throws IOException;

    /** The driver side, if the job has one: recovery at start, a step before the commit and one after. */
    default Optional<DriverOutput> driverOutput(JobSetup setup) throws IOException {
        return Optional.empty();
    }
}
