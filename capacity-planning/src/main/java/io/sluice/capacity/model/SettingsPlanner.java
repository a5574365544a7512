package io.sluice.capacity.model;

/**
 * Derives the Spark and Sluice settings for a sized cluster: one executor per node on all cores but one, Kafka
 * partitions a multiple of the total executor cores (every core gets the same share), rate caps with 50 % room to
 * catch up after a restart, and the batch check (a batch's processing time must stay under the interval with the
 * headroom to spare).
 */
final class SettingsPlanner {
    /** Bytes per second one Kafka partition and one Spark task sustain comfortably. */
    static final double PARTITION_BYTES_PER_SECOND = 5e6;
    /** Events per second one HTTP receiver sustains (it only stores blocks and writes the WAL). */
    static final double RECEIVER_EVENTS_PER_SECOND = 50_000;
    /** Fixed cost of a batch: scheduling, the ZooKeeper commit, file renames (seconds). */
    static final double BATCH_OVERHEAD_SECONDS = 0.5;
    /** Rate caps allow this much over the peak share, so a backlog drains. */
    static final double CATCH_UP = 1.5;

    private SettingsPlanner() {}

    static int receivers(double peakEventsPerSecond) {
        return Math.max(1, (int) Math.ceil(peakEventsPerSecond / RECEIVER_EVENTS_PER_SECOND));
    }

    static SparkSettings settings(PlanInput in, int nodes) {
        double r = in.workload().peakEventsPerSecond();
        int executorCores = in.node().executorCores();
        int coresMax = nodes * executorCores;
        int executorMemoryGb = (int) Math.max(1, Math.floor((in.node().memoryGb() - 2) * 0.75));
        int byThroughput = (int) Math.ceil(in.workload().peakBytesPerSecond() / PARTITION_BYTES_PER_SECOND);
        int partitions = roundUpToMultiple(Math.max(coresMax, byThroughput), coresMax);
        long maxRatePerPartition = (long) Math.ceil(r / partitions * CATCH_UP);
        int receivers = receivers(r);
        long receiverMaxRate = (long) Math.ceil(r / receivers * CATCH_UP);
        double interval = in.pipeline().batchIntervalSeconds();
        int processingCores = coresMax - (in.pipeline().wal() ? receivers : 0);
        double estimated = processingCores <= 0
                ? Double.POSITIVE_INFINITY
                : BATCH_OVERHEAD_SECONDS
                        + r * interval / (processingCores * in.calibration().eventsPerSecondPerCore());
        boolean ok = estimated <= interval * (1 - in.headroom());
        return new SparkSettings(
                nodes,
                executorCores,
                coresMax,
                executorMemoryGb,
                partitions,
                maxRatePerPartition,
                receivers,
                receiverMaxRate,
                in.pipeline().wal(),
                interval,
                estimated,
                ok);
    }

    private static int roundUpToMultiple(int value, int multiple) {
        return ((value + multiple - 1) / multiple) * multiple;
    }
}
