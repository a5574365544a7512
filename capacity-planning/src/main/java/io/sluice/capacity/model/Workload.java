package io.sluice.capacity.model;

/**
 * The load to carry.
 *
 * @param eventsPerSecond average event rate
 * @param eventBytes average event size on the wire (JSON)
 * @param peakFactor peak rate over average rate (the cluster is sized for the peak)
 */
public record Workload(double eventsPerSecond, double eventBytes, double peakFactor) {
    public Workload {
        Inputs.positive("--events-per-second", eventsPerSecond);
        Inputs.positive("--event-bytes", eventBytes);
        Inputs.atLeast("--peak-factor", peakFactor, 1);
    }

    public double peakEventsPerSecond() {
        return eventsPerSecond * peakFactor;
    }

    /** Peak ingest in bytes per second. */
    public double peakBytesPerSecond() {
        return peakEventsPerSecond() * eventBytes;
    }
}
