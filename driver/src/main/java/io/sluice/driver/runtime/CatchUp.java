package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.JobTask;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.sink.hbase.ClaimFence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lagging jobs' way back (docs/commit-protocol.md, "Lagging jobs"): at the start of a batch, every group of jobs
 * lagging at the same positions whose backoff has passed reads its next ranges of Kafka again, from its own positions,
 * and writes them with its jobs alone; its driver sides take them in, and the group's positions move on in a fenced
 * commit. A group whose sink still fails waits twice as long before its next attempt (from 2 s up to a minute); a
 * group whose jobs write to HBase first asks whether HBase answers ({@link HBaseProbe}), so an attempt while it is down
 * costs the batch seconds, not the client's timeout. What a step reads is the source's ({@link BatchSource#catchUp}):
 * Kafka's ranges again, push ingestion's batches from the primary archive root; at most about five batches' worth, so
 * the batch it runs in stays short.
 */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    private static final long FIRST_WAIT_MS = 2_000;
    private static final long MAX_WAIT_MS = 60_000;
    private final Map<String, Long> nextAttempt = new HashMap<>();
    private final Map<String, Long> waits = new HashMap<>();

    /** Runs the catch-up steps due at batch {@code time}; a failed commit (fenced) is thrown. */
    void attempt(CurrentRun run, JavaSparkContext jsc, long time, BatchSource<?> source) throws Exception {
        CommittedOffsets committed = run.committer().committed();
        Map<Map<TopicPartitionKey, Long>, List<String>> groups = new LinkedHashMap<>();
        for (JobTask task : run.tasks()) {
            Map<TopicPartitionKey, Long> positions = committed.lagging().get(task.job());
            if (positions != null) {
                groups.computeIfAbsent(positions, p -> new ArrayList<>()).add(task.job());
            }
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<Map<TopicPartitionKey, Long>, List<String>> group : groups.entrySet()) {
            String first = group.getValue().get(0);
            // a job that just began to lag waits the first wait too: its sink has just failed
            if (now < nextAttempt.computeIfAbsent(first, j -> now + FIRST_WAIT_MS)) {
                continue;
            }
            boolean usesHBase = run.settings().jobs().stream()
                    .anyMatch(j -> j.usesHBase() && group.getValue().contains(j.name()));
            boolean done;
            try {
                if (usesHBase && !run.hbaseAnswers()) {
                    throw new IOException("HBase does not answer within " + HBaseProbe.WAIT_MS + " ms");
                }
                done = step(run, jsc, time, group.getValue(), group.getKey(), source);
            } catch (Exception e) {
                run.committer().requireHealthy(); // its commit failed: the batch fails, and the run with it
                LOG.warn("jobs {} cannot catch up yet: {}", group.getValue(), e.toString());
                done = false;
            }
            boolean stillLags = run.committer().committed().lagging().containsKey(first);
            for (String job : group.getValue()) {
                if (done) {
                    waits.remove(job);
                    if (stillLags) {
                        nextAttempt.put(job, 0L); // caught up part-way: the next step at the next batch
                    } else {
                        nextAttempt.remove(job); // a new lag starts with a wait
                    }
                } else {
                    long wait = Math.min(MAX_WAIT_MS, waits.getOrDefault(job, FIRST_WAIT_MS / 2) * 2);
                    waits.put(job, wait);
                    nextAttempt.put(job, System.currentTimeMillis() + wait);
                }
            }
        }
    }

    private static boolean step(
            CurrentRun run,
            JavaSparkContext jsc,
            long time,
            List<String> group,
            Map<TopicPartitionKey, Long> from,
            BatchSource<?> source)
            throws Exception {
        for (String job : group) {
            run.committer().recoverIfNeeded(job);
        }
        return source.catchUp(run, jsc, time, group, from);
    }

    /** The task side of a step: the group's jobs alone, taking over the claims {@code fence} voids. */
    static PartitionWriter writer(
            CurrentRun run,
            List<String> group,
            Map<TopicPartitionKey, Long> clocks,
            BatchCounters counters,
            ClaimFence fence,
            Set<String> lagging) {
        List<JobTask> tasks =
                run.tasks().stream().filter(t -> group.contains(t.job())).toList();
        return new PartitionWriter(
                run.settings().pipeline(), tasks, run.consumerParams(), clocks, counters, "", fence, lagging);
    }

    /**
     * Commits what a step's tasks wrote ({@link BatchCommitter#commitCatchUp}) and logs it.
     *
     * @return false when the group's sinks still fail
     */
    static boolean commit(
            CurrentRun run, long time, List<String> group, List<SourceRange> ranges, BatchCounters counters)
            throws Exception {
        boolean done = run.committer().commitCatchUp(time, group, ranges, counters::reportsOf, counters.laggedJobs());
        if (done) {
            CommittedOffsets now = run.committer().committed();
            LOG.info(
                    "jobs {} caught up {} ({}); {}",
                    group,
                    ranges,
                    counters,
                    now.lagging().containsKey(group.get(0))
                            ? "still " + now.lagOf(group.get(0)) + " behind"
                            : "they no longer lag");
        }
        return done;
    }
}
