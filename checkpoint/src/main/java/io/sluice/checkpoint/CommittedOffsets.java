package io.sluice.checkpoint;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The next offset to process per topic partition, as last committed by a leader, with what was committed in the same
 * transaction: the results jobs' replay position of each partition, and the archive stage of the committed batch
 * (the files it wrote, published after the commit), and the positions of the jobs that lag behind them: a job whose
 * sink failed stays at its own position and catches up from it while the others go on ({@link #withLagging}).
 * Immutable: {@link #advance}, {@link #withReplay}, {@link #withStage} and {@link #withLagging} return new instances.
 */
public final class CommittedOffsets implements Serializable {
    private static final CommittedOffsets EMPTY =
            new CommittedOffsets(new TreeMap<>(), new TreeMap<>(), "", new TreeMap<>(), new TreeMap<>());
    private final TreeMap<TopicPartitionKey, Long> next;
    private final TreeMap<TopicPartitionKey, ReplayPosition> replay;
    private final String stage;
    private final TreeMap<String, String> settings;
    private final TreeMap<String, TreeMap<TopicPartitionKey, Long>> lagging;

    private CommittedOffsets(
            TreeMap<TopicPartitionKey, Long> next,
            TreeMap<TopicPartitionKey, ReplayPosition> replay,
            String stage,
            TreeMap<String, String> settings,
            TreeMap<String, TreeMap<TopicPartitionKey, Long>> lagging) {
        this.next = next;
        this.replay = replay;
        this.stage = stage;
        this.settings = settings;
        this.lagging = lagging;
    }

    public static CommittedOffsets empty() {
        return EMPTY;
    }

    public static CommittedOffsets of(Map<TopicPartitionKey, Long> offsets) {
        return new CommittedOffsets(new TreeMap<>(offsets), new TreeMap<>(), "", new TreeMap<>(), new TreeMap<>());
    }

    /** A copy that carries {@code positions} as the results jobs' replay positions (replacing any before). */
    public CommittedOffsets withReplay(Map<TopicPartitionKey, ReplayPosition> positions) {
        for (Map.Entry<TopicPartitionKey, ReplayPosition> p : positions.entrySet()) {
            Long committed = next.get(p.getKey());
            if (committed == null || p.getValue().from() > committed) {
                throw new IllegalArgumentException("replay position " + p.getValue() + " of " + p.getKey()
                        + " is past the committed offset " + committed);
            }
        }
        return new CommittedOffsets(next, new TreeMap<>(positions), stage, settings, lagging);
    }

    /**
     * A copy that names {@code stage} as the archive stage of the batch being committed: a driver that starts after
     * this commit publishes that stage's files if the committing driver did not get to it.
     */
    public CommittedOffsets withStage(String stage) {
        return new CommittedOffsets(next, replay, stage == null ? "" : stage, settings, lagging);
    }

    /**
     * A copy that records the settings the replay positions were computed with (key to value): a start with other
     * values cannot rebuild the same state, and must find out.
     */
    public CommittedOffsets withSettings(Map<String, String> settings) {
        return new CommittedOffsets(next, replay, stage, new TreeMap<>(settings), lagging);
    }

    /**
     * A copy where {@code job} lags at {@code positions} (its own next offset per partition, at most the committed
     * one); a job without lagging positions is at the committed offsets. Empty {@code positions}, or positions equal
     * to the committed offsets: the job has caught up and no longer lags.
     */
    public CommittedOffsets withLagging(String job, Map<TopicPartitionKey, Long> positions) {
        TreeMap<TopicPartitionKey, Long> own = new TreeMap<>();
        for (Map.Entry<TopicPartitionKey, Long> p : positions.entrySet()) {
            Long committed = next.get(p.getKey());
            if (committed == null || p.getValue() > committed) {
                throw new IllegalArgumentException("position " + p.getValue() + " of job " + job + " in " + p.getKey()
                        + " is past the committed offset " + committed);
            }
            if (p.getValue() < committed) {
                own.put(p.getKey(), p.getValue());
            }
        }
        TreeMap<String, TreeMap<TopicPartitionKey, Long>> copy = new TreeMap<>(lagging);
        if (own.isEmpty()) {
            copy.remove(job);
        } else {
            copy.put(job, own);
        }
        return new CommittedOffsets(next, replay, stage, settings, copy);
    }

    /** The jobs that lag, each with its positions where it is behind the committed offsets. */
    public Map<String, Map<TopicPartitionKey, Long>> lagging() {
        TreeMap<String, Map<TopicPartitionKey, Long>> view = new TreeMap<>();
        lagging.forEach((job, positions) -> view.put(job, Collections.unmodifiableMap(positions)));
        return Collections.unmodifiableMap(view);
    }

    /**
     * What {@code job} has committed: its own positions where it lags, the committed offsets elsewhere, with the
     * replay positions, stage and settings of this commit and no lagging jobs. What the job recovers from.
     */
    public CommittedOffsets forJob(String job) {
        TreeMap<TopicPartitionKey, Long> own = new TreeMap<>(next);
        own.putAll(lagging.getOrDefault(job, new TreeMap<>()));
        return new CommittedOffsets(own, replay, stage, settings, new TreeMap<>());
    }

    /** Records {@code job} is behind the committed offsets, summed over partitions (0 when it does not lag). */
    public long lagOf(String job) {
        long behind = 0;
        for (Map.Entry<TopicPartitionKey, Long> p :
                lagging.getOrDefault(job, new TreeMap<>()).entrySet()) {
            behind += next.get(p.getKey()) - p.getValue();
        }
        return behind;
    }

    /** The settings recorded with the commit ({@link #withSettings}); empty when none were recorded. */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    /** The archive stage of the last committed batch; empty when none was recorded. */
    public String stage() {
        return stage;
    }

    /** The results jobs' replay position of every partition that has one. */
    public Map<TopicPartitionKey, ReplayPosition> replay() {
        return Collections.unmodifiableMap(replay);
    }

    /** The next offset to process for {@code key}, empty when nothing was ever committed for it. */
    public OptionalLong next(TopicPartitionKey key) {
        Long offset = next.get(key);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    public Map<TopicPartitionKey, Long> asMap() {
        return Collections.unmodifiableMap(next);
    }

    public boolean isEmpty() {
        return next.isEmpty();
    }

    /**
     * A copy where every range's partition has advanced to the range's end; offsets never move backwards. The replay
     * positions are kept as they are: the caller sets the new ones with {@link #withReplay}.
     */
    public CommittedOffsets advance(Iterable<SourceRange> ranges) {
        TreeMap<TopicPartitionKey, Long> copy = new TreeMap<>(next);
        for (SourceRange range : ranges) {
            copy.merge(range.key(), range.until(), Math::max);
        }
        return new CommittedOffsets(copy, replay, stage, settings, lagging);
    }

    /**
     * A copy where {@code key}'s committed offset is {@code offset}, forwards or backwards: an operator's decision
     * (`sluice offsets --set`), never the commit protocol's. Its replay position, if any, restarts at the new offset
     * with the partition's clock, and every job that lagged in it is moved to the new offset too.
     */
    public CommittedOffsets withOffset(TopicPartitionKey key, long offset) {
        TreeMap<TopicPartitionKey, Long> copy = new TreeMap<>(next);
        copy.put(key, offset);
        TreeMap<TopicPartitionKey, ReplayPosition> positions = new TreeMap<>(replay);
        ReplayPosition position = positions.get(key);
        if (position != null) {
            positions.put(key, new ReplayPosition(offset, position.clock(), position.clock()));
        }
        TreeMap<String, TreeMap<TopicPartitionKey, Long>> jobs = new TreeMap<>();
        lagging.forEach((job, own) -> {
            TreeMap<TopicPartitionKey, Long> kept = new TreeMap<>(own);
            kept.remove(key);
            if (!kept.isEmpty()) {
                jobs.put(job, kept);
            }
        });
        return new CommittedOffsets(copy, positions, stage, settings, jobs);
    }

    /** Per partition of {@code endOffsets}: {@code end - committed} (a partition never committed counts from 0). */
    public Map<TopicPartitionKey, Long> lagByPartition(Map<TopicPartitionKey, Long> endOffsets) {
        TreeMap<TopicPartitionKey, Long> lag = new TreeMap<>();
        endOffsets.forEach((key, end) -> lag.put(key, Math.max(0, end - next.getOrDefault(key, 0L))));
        return lag;
    }

    /** Sum over partitions of {@code end - committed}, for the partitions present in {@code endOffsets}. */
    public long lag(Map<TopicPartitionKey, Long> endOffsets) {
        return lagByPartition(endOffsets).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedOffsets other
                && next.equals(other.next)
                && replay.equals(other.replay)
                && stage.equals(other.stage)
                && settings.equals(other.settings)
                && lagging.equals(other.lagging);
    }

    @Override
    public int hashCode() {
        return (next.hashCode() * 31 + replay.hashCode()) * 31 + stage.hashCode();
    }

    @Override
    public String toString() {
        return next.toString();
    }
}
