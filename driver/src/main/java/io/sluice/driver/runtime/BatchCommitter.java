package io.sluice.driver.runtime;

import io.sluice.api.BatchResult;
import io.sluice.api.DriverOutput;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.OffsetStore;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of the commit protocol (docs/commit-protocol.md), for a batch whose tasks all succeeded: every job's
 * driver side writes what it writes and adds its replay positions, then one ZooKeeper transaction, fenced by the
 * epoch, commits the batch's positions with the stage and the settings' fingerprint; then every job publishes. A
 * failure anywhere marks the run failed: no later batch of it commits, so the driver restarts and recovers from what
 * ZooKeeper holds.
 *
 * <p>Except a job's own sink failing (an {@code IOException}): a job that may lag and whose sink failed, in a task or
 * in its driver side, lags
 * from the batch on (with every job that requires it) at the positions the batch started from, committed in the same
 * transaction; the others go on. It catches up with {@link #commitCatchUp}, from its own positions.
 */
final class BatchCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);
    private final OffsetStore offsetStore;
    private final Epoch epoch;
    private final List<JobDriver> drivers;
    private final Map<String, String> fingerprint;
    private final Map<String, JobDeps> jobs;
    private final AtomicReference<CommittedOffsets> committed;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The jobs whose driver side must recover before it takes another batch: it failed part-way. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();

    /** A job's driver side, with the job's name. */
    record JobDriver(String job, DriverOutput output) {}

    /**
     * What the committer knows of every job of the run: the jobs it requires, whether it may lag, and whether it writes
     * to HBase (the jobs writing to HBase share its failures: when one lags for HBase's, they all lag, at the same
     * positions, so they wait for HBase and catch up together).
     */
    record JobDeps(Set<String> requires, boolean mayLag, boolean usesHBase) {}

    /** What a commit did: the positions committed, and what each job's driver side counted. */
    record Committed(CommittedOffsets offsets, Map<String, Map<String, Long>> counts) {}

    /**
     * @param committed what ZooKeeper held when this run began
     * @param fingerprint the settings the replay positions depend on ({@code ReplayFingerprint}), committed with each
     *     batch
     */
    BatchCommitter(
            OffsetStore offsetStore,
            Epoch epoch,
            CommittedOffsets committed,
            List<JobDriver> drivers,
            Map<String, String> fingerprint) {
        this(offsetStore, epoch, committed, drivers, fingerprint, Map.of());
    }

    /** @param jobs every job of the run, in the order they write (each after those it requires) */
    BatchCommitter(
            OffsetStore offsetStore,
            Epoch epoch,
            CommittedOffsets committed,
            List<JobDriver> drivers,
            Map<String, String> fingerprint,
            Map<String, JobDeps> jobs) {
        this.offsetStore = offsetStore;
        this.epoch = epoch;
        this.drivers = List.copyOf(drivers);
        this.fingerprint = Map.copyOf(fingerprint);
        this.jobs = new LinkedHashMap<>(jobs);
        this.committed = new AtomicReference<>(committed);
    }

    Epoch epoch() {
        return epoch;
    }

    /** What this run committed last (or found committed at start). */
    CommittedOffsets committed() {
        return committed.get();
    }

    /** Commits a batch whose tasks all succeeded and where no job's sink failed. */
    Committed commit(
            long time,
            String stage,
            List<TopicPartitionKey> sources,
            Function<String, List<Object>> reports,
            CommittedOffsets next)
            throws Exception {
        return commit(time, stage, sources, reports, next, Map.of(), Map.of());
    }

    /**
     * Commits a batch whose tasks all succeeded.
     *
     * @param next the positions after the batch, before the jobs add theirs
     * @param sources every source partition of the stream, written this batch or not
     * @param reports what the tasks reported, by job
     * @param laggedInTasks the jobs whose sink failed in a task, with the failure: they lag from this batch on
     * @param starts where the batch started, per partition it wrote: where a job that lags from this batch on stays
     */
    Committed commit(
            long time,
            String stage,
            List<TopicPartitionKey> sources,
            Function<String, List<Object>> reports,
            CommittedOffsets next,
            Map<String, String> laggedInTasks,
            Map<TopicPartitionKey, Long> starts)
            throws Exception {
        requireHealthy();
        try {
            Set<String> lagging = new HashSet<>(next.lagging().keySet());
            Map<String, String> newly = new LinkedHashMap<>();
            laggedInTasks.forEach((job, why) -> {
                if (lagging.add(job)) {
                    newly.put(job, why);
                }
            });
            addDependents(lagging, newly);
            Map<String, BatchResult> results = new LinkedHashMap<>();
            for (JobDriver driver : drivers) {
                if (lagging.contains(driver.job())) {
                    continue;
                }
                BatchResult result = new BatchResult(time, stage, sources, reports.apply(driver.job()), epoch);
                try {
                    next = driver.output().beforeCommit(result, next);
                    results.put(driver.job(), result);
                } catch (IOException e) { // its sink failed; anything else (a fenced write) fails the run
                    if (!mayLag(driver.job())) {
                        throw e;
                    }
                    dirty.add(driver.job()); // its state may hold part of the batch
                    lagging.add(driver.job());
                    newly.put(driver.job(), e.toString());
                    addDependents(lagging, newly);
                }
            }
            for (Map.Entry<String, String> job : newly.entrySet()) {
                dirty.add(job.getKey());
                next = next.withLagging(job.getKey(), starts);
                LOG.warn(
                        "job {} lags from batch {} on, at {}; the other jobs go on: {}",
                        job.getKey(),
                        time,
                        starts,
                        job.getValue());
            }
            next = next.withStage(stage).withSettings(fingerprint);
            offsetStore.commit(epoch, next);
            committed.set(next);
            CommitFault.afterCommit(next);
            for (JobDriver driver : drivers) {
                if (results.containsKey(driver.job())) {
                    driver.output().afterCommit(results.get(driver.job()), next);
                }
            }
            Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
            results.forEach((job, result) -> counts.put(job, result.counts()));
            return new Committed(next, counts);
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
    }

    /**
     * Commits what the lagging jobs {@code group} (at the same positions) wrote to catch up: every range of {@code
     * ranges} from the group's position on. Each job's driver side takes the batch in from the job's own committed
     * positions (recovering first when it failed part-way before); then the group's positions move to the ranges'
     * ends, fenced like every commit. A job that reaches the committed offsets no longer lags.
     *
     * @return false when the group's sinks are still failing: it stays where it was (a job whose driver side failed
     *     recovers at its next attempt)
     */
    boolean commitCatchUp(
            long time,
            List<String> group,
            List<SourceRange> ranges,
            Function<String, List<Object>> reports,
            Map<String, String> laggedInTasks)
            throws Exception {
        requireHealthy();
        if (!laggedInTasks.isEmpty()) {
            LOG.warn("jobs {} still cannot catch up: {}", group, laggedInTasks);
            return false;
        }
        CommittedOffsets before = committed.get();
        CommittedOffsets next = before;
        Map<TopicPartitionKey, Long> until = new HashMap<>();
        ranges.forEach(r -> until.put(r.key(), r.until()));
        List<TopicPartitionKey> sources = List.copyOf(before.asMap().keySet());
        Map<String, BatchResult> results = new LinkedHashMap<>();
        for (String job : group) {
            Optional<JobDriver> driver = driver(job);
            if (driver.isPresent()) {
                CommittedOffsets view = before.forJob(job).advance(ranges);
                BatchResult result = new BatchResult(time, before.stage(), sources, reports.apply(job), epoch);
                try {
                    view = driver.get().output().beforeCommit(result, view);
                } catch (IOException e) {
                    dirty.add(job);
                    LOG.warn("job {} still cannot catch up: {}", job, e.toString());
                    return false;
                } catch (RuntimeException e) { // a fenced write: the run stops
                    failed(e);
                    throw e;
                }
                results.put(job, result);
                if (!view.replay().equals(before.forJob(job).replay())) {
                    next = next.withReplay(view.replay());
                }
            }
            next = next.withLagging(job, until);
        }
        try {
            offsetStore.commit(epoch, next);
            committed.set(next);
            for (Map.Entry<String, BatchResult> done : results.entrySet()) {
                driver(done.getKey()).orElseThrow().output().afterCommit(done.getValue(), next);
            }
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
        return true;
    }

    /**
     * Before a catch-up of {@code job}: its driver side rebuilds its state from the job's own committed positions if it
     * failed part-way since it last did ({@link DriverOutput#recover}).
     */
    void recoverIfNeeded(String job) throws Exception {
        if (dirty.contains(job)) {
            Optional<JobDriver> driver = driver(job);
            if (driver.isPresent()) {
                driver.get().output().recover(committed.get().forJob(job));
            }
            dirty.remove(job);
        }
    }

    private Optional<JobDriver> driver(String job) {
        return drivers.stream().filter(d -> d.job().equals(job)).findFirst();
    }

    private boolean mayLag(String job) {
        JobDeps deps = jobs.get(job);
        return deps != null && deps.mayLag();
    }

    /**
     * Adds to {@code lagging} (and {@code newly}) every job that requires a lagging one, and every job writing to HBase
     * that may lag when a job writing to HBase newly lags, in the jobs' order.
     */
    private void addDependents(Set<String> lagging, Map<String, String> newly) {
        Optional<String> hbaseFailed = newly.keySet().stream()
                .filter(j -> jobs.containsKey(j) && jobs.get(j).usesHBase())
                .findFirst();
        for (Map.Entry<String, JobDeps> job : jobs.entrySet()) {
            Optional<String> lags =
                    job.getValue().requires().stream().filter(lagging::contains).findFirst();
            if (lags.isPresent() && lagging.add(job.getKey())) {
                newly.put(job.getKey(), "it requires " + lags.get() + ", which lags");
            } else if (hbaseFailed.isPresent()
                    && job.getValue().usesHBase()
                    && job.getValue().mayLag()
                    && lagging.add(job.getKey())) {
                newly.put(job.getKey(), "it writes to HBase too, where " + hbaseFailed.get() + " failed");
            }
        }
    }

    /**
     * Commits {@code next} without writing anything (push ingestion's batch without a block, or one committed
     * already), fenced like every commit: a deposed leader's batch must fail, never complete.
     */
    void commitPosition(CommittedOffsets next) throws Exception {
        requireHealthy();
        try {
            offsetStore.commit(epoch, next);
            committed.set(next);
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
    }

    /**
     * Records that a batch failed part-way: after a job's driver side had taken it in (its state is then ahead of the
     * committed positions), or after its commit but before its publication. Every later batch of this run must fail
     * too: the driver restarts, and every job recovers.
     */
    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    /** Throws when an earlier batch of this run failed part-way. */
    void requireHealthy() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new IllegalStateException(
                    "an earlier batch failed part-way; the driver must restart so that every job recovers from the"
                            + " committed positions: " + cause,
                    cause);
        }
    }

    /** At stop: every job finishes what the last commit may have left (the archive publishes a committed stage). */
    void stop() {
        CommittedOffsets last = committed();
        drivers.forEach(d -> d.output().stop(last));
    }
}
