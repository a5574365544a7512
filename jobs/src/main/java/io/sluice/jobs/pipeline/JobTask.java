package io.sluice.jobs.pipeline;

import io.sluice.api.TaskOutput;
import java.io.Serializable;
import java.util.List;

/**
 * A job's task side, with what the pipeline needs to run it: the job's name (for its counters, reports and dead
 * letters), the fields its events must have, and whether it writes the dead letters.
 *
 * @param requiredFields fields an event must have for this job; an event without one is a dead letter for it alone
 * @param writesDeadLetters true for the dead-letter sink (the archive): it runs after the other jobs, and its batch
 *     holds their dead letters too
 * @param mayLag whether a failure of the job's sink (an {@link java.io.IOException}) lets the job lag and catch up
 *     later while the others go on; otherwise it fails the batch
 */
public record JobTask(
        String job, TaskOutput output, List<String> requiredFields, boolean writesDeadLetters, boolean mayLag)
        implements Serializable {
    public JobTask {
        requiredFields = List.copyOf(requiredFields);
    }
}
