package io.sluice.capacity.model;

/**
 * The load to carry.
 *
 * @param eventsPerSecond average event rate
 * @param eventBytes average event size on the wire (JSON, about 600 B for Sluice's events)
 * @param peakFactor peak rate over average rate: the cluster is sized for the peak
 * @param retentionHours how long Kafka keeps the events (the window in which a stopped pipeline can still replay);
 *     it sizes storage, not nodes
 */
public record Workload(double eventsPerSecond, double eventBytes, double peakFactor, double retentionHours) {
    /** Kafka's default retention: 7 days. */
    public static final double DEFAULT_RETENTION_HOURS = 168;

    public Workload {
        Inputs.positive("--events-per-second", eventsPerSecond);
        Inputs.positive("--event-bytes", eventBytes);
        Inputs.atLeast("--peak-factor", peakFactor, 1);
        Inputs.positive("--retention-hours", retentionHours);
    }

    /** A workload with the default retention. */
    public Workload(double eventsPerSecond, double eventBytes, double peakFactor) {
        this(eventsPerSecond, eventBytes, peakFactor, DEFAULT_RETENTION_HOURS);
    }

    /** The same workload at another average rate. */
    public Workload withEventsPerSecond(double rate) {
        return new Workload(rate, eventBytes, peakFactor, retentionHours);
    }

    public double peakEventsPerSecond() {
        return eventsPerSecond * peakFactor;
    }

    /** Peak ingest in bytes per second. */
    public double peakBytesPerSecond() {
        return peakEventsPerSecond() * eventBytes;
    }

    /** Average ingest in bytes per second (what retention fills). */
    public double averageBytesPerSecond() {
        return eventsPerSecond * eventBytes;
    }
}
