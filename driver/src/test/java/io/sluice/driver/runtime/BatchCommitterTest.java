package io.sluice.driver.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.BatchResult;
import io.sluice.api.DriverOutput;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.FencedException;
import io.sluice.checkpoint.OffsetStore;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The commit algorithm with fake jobs and an in-memory offset store that fences like ZooKeeper's. */
class BatchCommitterTest {
    private static final TopicPartitionKey P0 = new TopicPartitionKey("events", 0);
    private static final Epoch EPOCH = new Epoch(3, 3);
    private final List<String> calls = new ArrayList<>();
    private final FencingStore store = new FencingStore();

    @Test
    void jobsWriteBeforeTheOneFencedCommitAndPublishAfterIt() throws Exception {
        BatchCommitter committer = committer(new Recording("archive", false), new Stateful("results"));
        BatchCommitter.Committed done = committer.commit(
                1000, "e3-b1000", List.of(P0), job -> List.of(job + "-sum"), CommittedOffsets.of(Map.of(P0, 50L)));

        assertThat(calls)
                .containsExactly(
                        "archive before [archive-sum]",
                        "results before [results-sum]",
                        "commit events-0=50 replay=[events-0] stage=e3-b1000",
                        "archive after e3-b1000",
                        "results after e3-b1000");
        assertThat(store.committed.replay()).containsKey(P0);
        assertThat(store.committed.settings()).containsEntry("sluice.job.results.window-ms", "60000");
        assertThat(committer.committed()).isEqualTo(store.committed);
        assertThat(done.counts()).containsEntry("results", Map.of("rows", 1L)).containsEntry("archive", Map.of());
    }

    @Test
    void aJobFailingBeforeTheCommitCommitsNothingAndStopsTheRun() {
        BatchCommitter committer = committer(new Recording("archive", false), new Failing("results"));
        assertThatThrownBy(() -> commit(committer, 50)).hasMessage("results: HBase is down");

        assertThat(store.committed).as("nothing committed").isNull();
        assertThat(calls).as("nothing published").noneMatch(c -> c.contains("after"));
        assertThat(committer.committed().isEmpty()).isTrue();
        assertThatThrownBy(() -> commit(committer, 60))
                .as("a later batch of the run must not commit past the failed one")
                .hasMessageStartingWith("an earlier batch failed part-way");
    }

    @Test
    void aJobWhoseSinkFailsLagsWithTheJobsThatRequireItWhileTheOthersCommitThenCatchesUp() throws Exception {
        Failing results = new Failing("results");
        Stateful pageViews = new Stateful("page-views");
        List<BatchCommitter.JobDriver> drivers = List.of(
                new BatchCommitter.JobDriver("archive", new Recording("archive", false)),
                new BatchCommitter.JobDriver("results", results),
                new BatchCommitter.JobDriver("page-views", pageViews));
        Map<String, BatchCommitter.JobDeps> jobs = new LinkedHashMap<>();
        jobs.put("archive", new BatchCommitter.JobDeps(Set.of(), false, false));
        jobs.put("event-store", new BatchCommitter.JobDeps(Set.of(), true, false));
        jobs.put("results", new BatchCommitter.JobDeps(Set.of("event-store"), true, false));
        jobs.put("page-views", new BatchCommitter.JobDeps(Set.of(), true, false));
        BatchCommitter committer =
                new BatchCommitter(store, EPOCH, CommittedOffsets.of(Map.of(P0, 40L)), drivers, Map.of(), jobs);

        // the event store's sink failed in a task: it lags, and so does the results job, which requires it
        committer.commit(
                1000,
                "e3-b1000",
                List.of(P0),
                job -> List.of(),
                CommittedOffsets.of(Map.of(P0, 40L)).advance(List.of(new SourceRange(P0, 40, 50))),
                Map.of("event-store", "java.io.IOException: HBase is down"),
                Map.of(P0, 40L));

        assertThat(calls)
                .containsExactly(
                        "archive before []",
                        "page-views before []",
                        "commit events-0=50 replay=[events-0] stage=e3-b1000",
                        "archive after e3-b1000",
                        "page-views after e3-b1000");
        assertThat(store.committed.lagging())
                .containsOnlyKeys("event-store", "results")
                .containsEntry("results", Map.of(P0, 40L));

        // a later batch: the lagging jobs are skipped, their positions stay; then the store is back
        calls.clear();
        committer.commit(
                2000,
                "e3-b2000",
                List.of(P0),
                job -> List.of(),
                store.committed.advance(List.of(new SourceRange(P0, 50, 60))),
                Map.of(),
                Map.of(P0, 50L));
        assertThat(calls).noneMatch(c -> c.startsWith("results"));
        assertThat(store.committed.lagOf("results")).isEqualTo(20);

        calls.clear();
        results.down = false;
        committer.recoverIfNeeded("results");
        assertThat(committer.commitCatchUp(
                        3000,
                        List.of("event-store", "results"),
                        List.of(new SourceRange(P0, 40, 55)),
                        job -> List.of(job + "-sum"),
                        Map.of()))
                .isTrue();
        assertThat(calls)
                .containsExactly(
                        "results recover events-0=40 stage=e3-b2000",
                        "results before [results-sum] from events-0=55 stage=e3-b2000",
                        "commit events-0=60 replay=[events-0] stage=e3-b2000",
                        "results after e3-b2000");
        assertThat(store.committed.lagging().get("results")).isEqualTo(Map.of(P0, 55L));
        assertThat(store.committed.asMap()).containsEntry(P0, 60L);

        calls.clear();
        committer.recoverIfNeeded("results");
        committer.commitCatchUp(
                4000,
                List.of("event-store", "results"),
                List.of(new SourceRange(P0, 55, 60)),
                job -> List.of(),
                Map.of());
        assertThat(calls).as("not dirty: no second recovery").noneMatch(c -> c.contains("recover"));
        assertThat(store.committed.lagging()).as("caught up").isEmpty();
    }

    @Test
    void theJobsWritingToHBaseLagTogetherWhenOneOfThemFailsThere() throws Exception {
        Map<String, BatchCommitter.JobDeps> jobs = new LinkedHashMap<>();
        jobs.put("archive", new BatchCommitter.JobDeps(Set.of(), false, false));
        jobs.put("event-store", new BatchCommitter.JobDeps(Set.of(), true, true));
        jobs.put("page-views", new BatchCommitter.JobDeps(Set.of(), true, true));
        jobs.put("files", new BatchCommitter.JobDeps(Set.of(), true, false));
        BatchCommitter committer = new BatchCommitter(
                store,
                EPOCH,
                CommittedOffsets.of(Map.of(P0, 40L)),
                List.of(new BatchCommitter.JobDriver("page-views", new Stateful("page-views"))),
                Map.of(),
                jobs);

        committer.commit(
                1000,
                "e3-b1000",
                List.of(P0),
                job -> List.of(),
                CommittedOffsets.of(Map.of(P0, 50L)),
                Map.of("event-store", "java.io.IOException: HBase is down"),
                Map.of(P0, 40L));

        assertThat(store.committed.lagging()).containsOnlyKeys("event-store", "page-views");
        assertThat(calls).as("a lagging job's driver side takes no batch").noneMatch(c -> c.startsWith("page-views"));
    }

    @Test
    void aDeposedLeadersCommitIsRefusedAndNothingIsPublished() {
        BatchCommitter committer = committer(new Recording("archive", false));
        store.newestEpoch = 4;
        assertThatThrownBy(() -> commit(committer, 50)).isInstanceOf(FencedException.class);

        assertThat(calls).containsExactly("archive before []");
        assertThat(committer.committed().isEmpty()).isTrue();
    }

    @Test
    void aFailedPublicationLeavesTheCommitButStopsTheRun() throws Exception {
        Recording archive = new Recording("archive", true);
        BatchCommitter committer = committer(archive);
        assertThatThrownBy(() -> commit(committer, 50)).hasMessage("archive: cannot rename");

        assertThat(store.committed.asMap()).containsEntry(P0, 50L);
        assertThat(committer.committed()).isEqualTo(store.committed);
        assertThatThrownBy(() -> commit(committer, 60)).hasMessageStartingWith("an earlier batch failed part-way");
        committer.stop();
        assertThat(calls).last().isEqualTo("archive stop at events-0=50 stage=e3-b1000");
    }

    @Test
    void aPositionAloneIsCommittedFencedWithoutTheJobs() throws Exception {
        BatchCommitter committer = committer(new Recording("archive", false));
        committer.commitPosition(CommittedOffsets.of(Map.of(P0, 70L)));
        assertThat(store.committed.asMap()).containsEntry(P0, 70L);
        assertThat(calls).containsExactly("commit events-0=70 replay=[] stage=");
        store.newestEpoch = 4;
        assertThatThrownBy(() -> committer.commitPosition(CommittedOffsets.of(Map.of(P0, 80L))))
                .isInstanceOf(FencedException.class);
        assertThat(store.committed.asMap()).containsEntry(P0, 70L);
    }

    private BatchCommitter committer(Job... jobs) {
        List<BatchCommitter.JobDriver> drivers = new ArrayList<>();
        for (Job job : jobs) {
            drivers.add(new BatchCommitter.JobDriver(job.name, job));
        }
        return new BatchCommitter(
                store, EPOCH, CommittedOffsets.empty(), drivers, Map.of("sluice.job.results.window-ms", "60000"));
    }

    private static BatchCommitter.Committed commit(BatchCommitter committer, long until) throws Exception {
        return committer.commit(
                1000, "e3-b1000", List.of(P0), job -> List.of(), CommittedOffsets.of(Map.of(P0, until)));
    }

    private abstract class Job implements DriverOutput {
        final String name;

        Job(String name) {
            this.name = name;
        }

        @Override
        public CommittedOffsets beforeCommit(BatchResult batch, CommittedOffsets next) throws Exception {
            calls.add(name + " before " + batch.reports());
            return next;
        }

        @Override
        public void afterCommit(BatchResult batch, CommittedOffsets committed) throws Exception {
            calls.add(name + " after " + batch.stage());
        }

        @Override
        public void stop(CommittedOffsets last) {
            calls.add(name + " stop at " + describe(last));
        }
    }

    private final class Recording extends Job {
        private final boolean failToPublish;

        Recording(String name, boolean failToPublish) {
            super(name);
            this.failToPublish = failToPublish;
        }

        @Override
        public void afterCommit(BatchResult batch, CommittedOffsets committed) throws Exception {
            if (failToPublish) {
                throw new IOException(name + ": cannot rename");
            }
            super.afterCommit(batch, committed);
        }
    }

    /** Adds a replay position and counts a row, as the results job does. */
    private final class Stateful extends Job {
        Stateful(String name) {
            super(name);
        }

        @Override
        public CommittedOffsets beforeCommit(BatchResult batch, CommittedOffsets next) throws Exception {
            super.beforeCommit(batch, next);
            batch.count("rows", 1);
            return next.withReplay(Map.of(P0, new ReplayPosition(40, 0, 0)));
        }
    }

    private final class Failing extends Job {
        boolean down = true;

        Failing(String name) {
            super(name);
        }

        @Override
        public void recover(CommittedOffsets committed) {
            calls.add(name + " recover " + describe(committed));
        }

        @Override
        public CommittedOffsets beforeCommit(BatchResult batch, CommittedOffsets next) throws Exception {
            if (down) {
                throw new IOException(name + ": HBase is down");
            }
            calls.add(name + " before " + batch.reports() + " from " + describe(next));
            return next.withReplay(Map.of(P0, new ReplayPosition(45, 0, 0)));
        }
    }

    private static String describe(CommittedOffsets offsets) {
        StringBuilder s = new StringBuilder();
        offsets.asMap().forEach((k, v) -> s.append(k.topic())
                .append('-')
                .append(k.partition())
                .append('=')
                .append(v));
        return s + " stage=" + offsets.stage();
    }

    /** Refuses a commit from an epoch older than the newest, as the ZooKeeper transaction does. */
    private final class FencingStore implements OffsetStore {
        long newestEpoch = EPOCH.number();
        CommittedOffsets committed;

        @Override
        public CommittedOffsets load() {
            return committed == null ? CommittedOffsets.empty() : committed;
        }

        @Override
        public void commit(Epoch epoch, CommittedOffsets offsets) {
            if (epoch.number() < newestEpoch) {
                throw new FencedException(epoch, (Throwable) null);
            }
            committed = offsets;
            List<String> replayed = offsets.replay().keySet().stream()
                    .map(k -> k.topic() + "-" + k.partition())
                    .toList();
            calls.add("commit " + describe(offsets).replace(" stage=", " replay=" + replayed + " stage="));
        }
    }
}
