package io.sluice.api;

import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One batch, as a job's driver side sees it once the batch's tasks succeeded. */
public final class BatchResult {
    private final long time;
    private final String stage;
    private final List<TopicPartitionKey> sources;
    private final List<Object> reports;
    private final Epoch epoch;
    private final Map<String, Long> counts = new TreeMap<>();

    /**
     * @param time the batch time (ms)
     * @param stage the batch's stage ({@link TaskContext#stage()})
     * @param sources every source partition of the stream, written this batch or not
     * @param reports what the job's tasks reported ({@link TaskContext#report}), in no particular order
     * @param epoch the leader's epoch, to fence the driver's own writes with
     */
    public BatchResult(long time, String stage, List<TopicPartitionKey> sources, List<?> reports, Epoch epoch) {
        this.time = time;
        this.stage = stage;
        this.sources = List.copyOf(sources);
        this.reports = List.copyOf(reports);
        this.epoch = epoch;
    }

    public long time() {
        return time;
    }

    public String stage() {
        return stage;
    }

    public List<TopicPartitionKey> sources() {
        return sources;
    }

    public List<Object> reports() {
        return reports;
    }

    public Epoch epoch() {
        return epoch;
    }

    /** Adds to the job's counter {@code name}, as {@link TaskContext#count} does from a task. */
    public void count(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    /** What the driver side counted for this batch. */
    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }
}
