package io.sluice.capacity.model;

import java.util.Properties;

/**
 * Measured processing speed: events per second one core parses, validates and runs through the jobs and sinks.
 *
 * <p>The default, 25,000 events/s per core (40 µs per event), is a deliberately conservative guess, not a
 * measurement: parsing a 600-byte JSON event with Jackson alone runs at a few hundred thousand per core, and the
 * rest of the path (validation, gzip for the archive, the HBase put, Spark's per-record and per-task overhead) is
 * assumed to cost about ten times the parse. Replace it with a figure measured on the target hardware.
 */
public record Calibration(double eventsPerSecondPerCore, String source) {
    /** The key of a calibration properties file ({@code --calibration FILE}). */
    public static final String KEY = "sluice.calibration.events-per-second-per-core";

    public static final Calibration DEFAULT = new Calibration(25_000, "default, not measured");

    public Calibration {
        Inputs.positive("--events-per-second-per-core", eventsPerSecondPerCore);
    }

    /**
     * Reads {@link #KEY} from a calibration file's properties.
     *
     * @throws IllegalArgumentException naming {@code --calibration} when the key is missing or not a number
     */
    public static Calibration from(Properties properties, String fileName) {
        String value = properties.getProperty(KEY);
        if (value == null) {
            throw new IllegalArgumentException("--calibration file " + fileName + " must set " + KEY);
        }
        double rate;
        try {
            rate = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--calibration " + KEY + " must be a positive number, got '" + value + "'");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(
                    "--calibration " + KEY + " must be a positive number, got '" + value + "'");
        }
        return new Calibration(rate, "measured, " + fileName);
    }
}
