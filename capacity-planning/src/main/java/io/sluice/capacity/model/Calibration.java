package io.sluice.capacity.model;

/**
 * Measured processing speed: events per second one core parses and runs through the jobs and sinks. The default is
 * a conservative figure until the benchmark (bench/) measures it on the target hardware.
 */
public record Calibration(double eventsPerSecondPerCore, String source) {
    public static final Calibration DEFAULT = new Calibration(25_000, "default (not measured)");

    public Calibration {
        Inputs.positive("--events-per-second-per-core", eventsPerSecondPerCore);
    }
}
