package io.sluice.capacity.model;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * Measured per-event costs, read from a calibration file ({@code --calibration FILE}, written by
 * {@code ./bin/sluice bench}). Only the Spark rate is required; every other cost is optional, and when it is absent
 * the model keeps the assumption it made before these keys existed.
 *
 * <ul>
 *   <li>{@value #KEY}: events per CPU-second of the Spark pipeline process alone (parse, jobs, the sinks' client
 *       side). The default, 25,000 (40 µs per event), is a deliberately conservative guess, not a measurement:
 *       parsing a 600-byte JSON event with Jackson alone runs at a few hundred thousand per core, and the rest of the
 *       path (validation, gzip for the archive, the HBase put, Spark's per-record and per-task overhead) is assumed
 *       to cost about ten times the parse. A file written before the other keys existed measured the whole pipeline
 *       on shared cores; it reads the same way and gives the same plan as before.
 *   <li>{@value #HBASE_CPU_KEY}: region server CPU microseconds per event. Absent: not counted, the model's
 *       assumption so far that the region server fits in the core each node keeps for the OS and the daemons
 *       ({@link NodeType#executorCores()}). That is an assumption and an optimistic one: the bench measured 26.1 µs
 *       per event on a 2-core VM ({@code bench/results/20261203-142326.md}; 86.7 while each identity claim was synced
 *       on its own).
 *   <li>{@value #KAFKA_CPU_KEY}: broker CPU microseconds per event, one replica's worth (the bench measures the
 *       brokers of a replication-1 topic). Absent: not counted, as before (Kafka's CPU was never modelled); the same
 *       bench run measured 2.3 µs per event.
 *   <li>{@value #ARCHIVE_BYTES_KEY}: bytes the archive stores per event, one copy, after compression: the compacted
 *       files. Present, it replaces the compression ratio: c = bytes / event bytes. Absent: {@code --compression-ratio}
 *       (0.25).
 *   <li>{@value #ARCHIVE_WRITTEN_BYTES_KEY}: bytes one archive root writes per event: the small files as they land
 *       plus the compacted files that replace them. Present, it replaces the archive's write amplification: w = written
 *       / stored, stored being {@value #ARCHIVE_BYTES_KEY} when present, else c x event bytes. Absent:
 *       {@code --archive-write-amplification} (2.1). A file written before this key existed reads as before.
 *   <li>{@value #EVENT_STORE_BYTES_KEY}: bytes HBase stores per event, one copy. Present, it replaces H. Absent:
 *       {@code --hbase-bytes-per-event} (700).
 * </ul>
 *
 * @param eventsPerSecondPerCore the Spark rate ({@value #KEY})
 * @param hbaseCpuMicrosPerEvent {@value #HBASE_CPU_KEY}, if measured
 * @param kafkaCpuMicrosPerEvent {@value #KAFKA_CPU_KEY}, if measured
 * @param archiveBytesPerEvent {@value #ARCHIVE_BYTES_KEY}, if measured
 * @param archiveWrittenBytesPerEvent {@value #ARCHIVE_WRITTEN_BYTES_KEY}, if measured
 * @param eventStoreBytesPerEvent {@value #EVENT_STORE_BYTES_KEY}, if measured
 * @param source where the Spark rate comes from, for the reports ({@code measured, bench.properties})
 */
public record Calibration(
        double eventsPerSecondPerCore,
        OptionalDouble hbaseCpuMicrosPerEvent,
        OptionalDouble kafkaCpuMicrosPerEvent,
        OptionalDouble archiveBytesPerEvent,
        OptionalDouble archiveWrittenBytesPerEvent,
        OptionalDouble eventStoreBytesPerEvent,
        String source) {
    /** The required key of a calibration properties file: the Spark rate. */
    public static final String KEY = "sluice.calibration.events-per-second-per-core";

    public static final String HBASE_CPU_KEY = "sluice.calibration.hbase-cpu-us-per-event";
    public static final String KAFKA_CPU_KEY = "sluice.calibration.kafka-cpu-us-per-event";
    public static final String ARCHIVE_BYTES_KEY = "sluice.calibration.archive-bytes-per-event";
    public static final String ARCHIVE_WRITTEN_BYTES_KEY = "sluice.calibration.archive-written-bytes-per-event";
    public static final String EVENT_STORE_BYTES_KEY = "sluice.calibration.event-store-bytes-per-event";

    public static final Calibration DEFAULT = new Calibration(25_000, "default, not measured");

    public Calibration {
        Inputs.positive("--events-per-second-per-core", eventsPerSecondPerCore);
        positiveIfPresent(HBASE_CPU_KEY, hbaseCpuMicrosPerEvent);
        positiveIfPresent(KAFKA_CPU_KEY, kafkaCpuMicrosPerEvent);
        positiveIfPresent(ARCHIVE_BYTES_KEY, archiveBytesPerEvent);
        positiveIfPresent(ARCHIVE_WRITTEN_BYTES_KEY, archiveWrittenBytesPerEvent);
        positiveIfPresent(EVENT_STORE_BYTES_KEY, eventStoreBytesPerEvent);
    }

    /** A Spark rate alone, every other cost as assumed. */
    public Calibration(double eventsPerSecondPerCore, String source) {
        this(
                eventsPerSecondPerCore,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                source);
    }

    /**
     * Reads a calibration file's properties: {@link #KEY} is required, the other keys are optional.
     *
     * @throws IllegalArgumentException naming {@code --calibration} and the key when {@link #KEY} is missing or a
     *     value is not a positive number
     */
    public static Calibration from(Properties properties, String fileName) {
        if (properties.getProperty(KEY) == null) {
            throw new IllegalArgumentException("--calibration file " + fileName + " must set " + KEY);
        }
        return new Calibration(
                measured(properties, KEY).orElseThrow(),
                measured(properties, HBASE_CPU_KEY),
                measured(properties, KAFKA_CPU_KEY),
                measured(properties, ARCHIVE_BYTES_KEY),
                measured(properties, ARCHIVE_WRITTEN_BYTES_KEY),
                measured(properties, EVENT_STORE_BYTES_KEY),
                "measured, " + fileName);
    }

    /** The same costs with another Spark rate ({@code --events-per-second-per-core} wins over the file's). */
    public Calibration withEventsPerSecondPerCore(double rate, String rateSource) {
        return new Calibration(
                rate,
                hbaseCpuMicrosPerEvent,
                kafkaCpuMicrosPerEvent,
                archiveBytesPerEvent,
                archiveWrittenBytesPerEvent,
                eventStoreBytesPerEvent,
                rateSource);
    }

    /** Region server CPU seconds per event: the measured cost, or 0 (not counted) when absent. */
    double hbaseCpuSecondsPerEvent() {
        return hbaseCpuMicrosPerEvent.orElse(0) / 1e6;
    }

    /** Broker CPU seconds per event and replica: the measured cost, or 0 (not counted) when absent. */
    double kafkaCpuSecondsPerEvent() {
        return kafkaCpuMicrosPerEvent.orElse(0) / 1e6;
    }

    /**
     * The pipeline with the measured bytes in place of the assumptions: the archive's stored bytes per event give the
     * compression ratio c, its written bytes the write amplification w = written / stored (stored: the measured bytes,
     * else c x event bytes of {@code pipeline}), the event store's replace H (only when the event store is on: H = 0
     * means no HBase).
     *
     * @throws IllegalArgumentException naming {@value #ARCHIVE_BYTES_KEY} when it is not between 1 % and 100 % of
     *     the event size, or {@value #ARCHIVE_WRITTEN_BYTES_KEY} when it is less than the stored bytes
     */
    public PipelineShape applyTo(PipelineShape pipeline, double eventBytes) {
        PipelineShape out = pipeline;
        if (archiveBytesPerEvent.isPresent()) {
            double ratio = archiveBytesPerEvent.getAsDouble() / eventBytes;
            if (ratio < 0.01 || ratio > 1) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "--calibration %s must be from 1 %% to 100 %% of --event-bytes (%s), got '%s'",
                        ARCHIVE_BYTES_KEY,
                        CapacityModel.number(eventBytes),
                        CapacityModel.number(archiveBytesPerEvent.getAsDouble())));
            }
            out = out.withCompressionRatio(ratio);
        }
        if (archiveWrittenBytesPerEvent.isPresent()) {
            double written = archiveWrittenBytesPerEvent.getAsDouble();
            double stored = archiveBytesPerEvent.orElse(out.compressionRatio() * eventBytes);
            if (written < stored) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "--calibration %s must be at least %s (%s), got '%s'",
                        ARCHIVE_WRITTEN_BYTES_KEY,
                        ARCHIVE_BYTES_KEY,
                        archiveBytesPerEvent.isPresent()
                                ? CapacityModel.number(stored)
                                : "absent: --compression-ratio " + CapacityModel.number(out.compressionRatio())
                                        + " x --event-bytes " + CapacityModel.number(eventBytes) + " = "
                                        + CapacityModel.number(stored),
                        CapacityModel.number(written)));
            }
            out = out.withArchiveWriteAmplification(written / stored);
        }
        if (eventStoreBytesPerEvent.isPresent() && out.hbaseBytesPerEvent() > 0) {
            out = out.withHbaseBytesPerEvent(eventStoreBytesPerEvent.getAsDouble());
        }
        return out;
    }

    private static OptionalDouble measured(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw notPositive(key, value);
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw notPositive(key, value);
        }
        return OptionalDouble.of(parsed);
    }

    private static void positiveIfPresent(String key, OptionalDouble value) {
        if (value.isPresent() && (!(value.getAsDouble() > 0) || Double.isInfinite(value.getAsDouble()))) {
            throw notPositive(key, CapacityModel.number(value.getAsDouble()));
        }
    }

    private static IllegalArgumentException notPositive(String key, String value) {
        return new IllegalArgumentException("--calibration " + key + " must be a positive number, got '" + value + "'");
    }
}
