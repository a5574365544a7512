package io.sluice.jobs.pipeline;

import io.sluice.api.TaskContext;
import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs every job's task side on one partition batch, each job isolated from the others' events:
 *
 * <ul>
 *   <li>a job sees only the events that have its required fields; the others are dead letters for it alone;
 *   <li>a job that throws an unchecked exception on an event (the event it read last) has that event dead-lettered
 *       for it, reason {@code job_error}, and writes the batch again without it, up to {@link #MAX_BAD_EVENTS} times;
 *   <li>an {@link IOException} is a sink's failure, not an event's: a job that may lag ({@link JobTask#mayLag}) is
 *       reported lagging ({@link Attempt#lagged}) and the others go on; any other job's fails the batch;
 *   <li>a job that lags already is not written, but its events without its required fields are still its dead
 *       letters;
 *   <li>the dead-letter sink (the archive) runs last and writes every job's dead letters with the batch's own.
 * </ul>
 *
 * A job's counters and reports count only from its write that succeeded.
 */
final class JobWrites {
    /** Events one job may fail on in one partition batch before the batch fails. */
    static final int MAX_BAD_EVENTS = 10;

    private JobWrites() {}

    /**
     * Writes {@code batch} with every job of {@code jobs}; {@code contexts} gives a job's context for one attempt.
     * Returns how many dead letters each job added.
     */
    static Map<String, Long> write(PartitionBatch batch, List<JobTask> jobs, Function<JobTask, Attempt> contexts)
            throws IOException {
        return write(batch, jobs, Set.of(), contexts);
    }

    /** The same, {@code lagging} naming the jobs not to write (they lag). */
    static Map<String, Long> write(
            PartitionBatch batch, List<JobTask> jobs, Set<String> lagging, Function<JobTask, Attempt> contexts)
            throws IOException {
        List<DeadLetter> added = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        for (JobTask job : jobs) {
            if (!job.writesDeadLetters()) {
                List<DeadLetter> dead = lagging.contains(job.job())
                        ? withoutRequired(batch, job, new ArrayList<>())
                        : writeOne(batch, job, contexts);
                added.addAll(dead);
                counts.put(job.job(), (long) dead.size());
            }
        }
        if (jobs.stream().anyMatch(JobTask::writesDeadLetters)) {
            PartitionBatch withAll = batch;
            if (!added.isEmpty()) {
                List<DeadLetter> dead = new ArrayList<>(batch.deadLetters());
                dead.addAll(added);
                dead.sort(Comparator.comparingLong(DeadLetter::offset));
                withAll = new PartitionBatch(batch.range(), batch.valid(), dead);
            }
            for (JobTask job : jobs) {
                if (job.writesDeadLetters()) {
                    counts.put(
                            job.job(), (long) writeOne(withAll, job, contexts).size());
                }
            }
        }
        return counts;
    }

    /** One attempt of one job: its context, whose counts and reports are committed only on success. */
    interface Attempt extends TaskContext {
        void succeeded();

        /** The job's sink failed ({@code cause}): the job lags from this batch on; nothing of this attempt counts. */
        void lagged(IOException cause);
    }

    /** The valid events that have every field {@code job} requires; the others are added to {@code dead}. */
    private static List<DeadLetter> withoutRequired(PartitionBatch batch, JobTask job, List<PositionedEvent> events) {
        List<DeadLetter> dead = new ArrayList<>();
        for (PositionedEvent e : batch.valid()) {
            String missing = firstMissing(e, job.requiredFields());
            if (missing == null) {
                events.add(e);
            } else {
                dead.add(deadLetter(batch, e, DeadLetterReason.MISSING_FIELD, job, missing + " is required"));
            }
        }
        return dead;
    }

    private static List<DeadLetter> writeOne(PartitionBatch batch, JobTask job, Function<JobTask, Attempt> contexts)
            throws IOException {
        List<PositionedEvent> events = new ArrayList<>(batch.valid().size());
        List<DeadLetter> dead = withoutRequired(batch, job, events);
        for (int bad = 0; ; bad++) {
            Tracked tracked = new Tracked(events);
            Attempt attempt = contexts.apply(job);
            try {
                job.output().write(new PartitionBatch(batch.range(), tracked, batch.deadLetters()), attempt);
                attempt.succeeded();
                return dead;
            } catch (IOException e) {
                if (!job.mayLag()) {
                    throw e;
                }
                attempt.lagged(e);
                return dead;
            } catch (RuntimeException e) {
                int culprit = tracked.last;
                if (culprit < 0 || bad == MAX_BAD_EVENTS) {
                    throw e; // not an event's fault, or too many: the batch fails
                }
                PositionedEvent event = events.remove(culprit);
                dead.add(deadLetter(batch, event, DeadLetterReason.JOB_ERROR, job, String.valueOf(e)));
            }
        }
    }

    private static String firstMissing(PositionedEvent e, List<String> required) {
        for (String field : required) {
            if (e.event().field(field) == null) {
                return field;
            }
        }
        return null;
    }

    private static DeadLetter deadLetter(
            PartitionBatch batch, PositionedEvent e, DeadLetterReason reason, JobTask job, String detail) {
        String text = "job " + job.job() + ": " + detail;
        return new DeadLetter(
                batch.range().key(),
                e.offset(),
                reason,
                text.length() > 300 ? text.substring(0, 300) : text,
                e.raw(),
                job.job());
    }

    /** The valid events as a job sees them, remembering which one it read last. */
    private static final class Tracked extends AbstractList<PositionedEvent> implements RandomAccess {
        private final List<PositionedEvent> events;
        int last = -1;

        Tracked(List<PositionedEvent> events) {
            this.events = events;
        }

        @Override
        public PositionedEvent get(int index) {
            PositionedEvent e = events.get(index);
            last = index;
            return e;
        }

        @Override
        public int size() {
            return events.size();
        }
    }
}
