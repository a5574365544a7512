package io.sluice.capacity.model;

/**
 * What the pipeline does with every event, which decides how many bytes it moves and stores. The sinks are the
 * archive on HDFS (bytes kept per event = event bytes x compression ratio; bytes written = that x the archive's write
 * amplification, since small per-batch files land first and a compaction rewrites them once their hour is final), its
 * S3 backup (the written bytes: the replica copies the small files as they are committed, then the compacted ones,
 * leaving through the NIC) and the HBase event store (its own bytes per event); the aggregated jobs (experiment
 * counts, top experiments) and the dead letters write little and are not counted.
 *
 * @param wal receiver write-ahead log on HDFS: push ingestion through receivers; one more copy of the input,
 *     replicated, and one core per receiver
 * @param hdfsReplication HDFS replication of the WAL, the archive and HBase's files
 * @param kafkaColocated Kafka brokers run on these nodes (their writes and replication count here)
 * @param kafkaReplication Kafka topic replication factor (counted in nodes only when colocated; always in storage)
 * @param compressionRatio bytes the archive keeps (the compacted files) over input bytes (Parquet with zstd of the
 *     generator's events: 0.29, 0.34 with 1 % dead letters, which are kept whole)
 * @param archiveWriteAmplification bytes an archive root writes (the small files as they land plus the compacted files
 *     that replace them) over the bytes it keeps (1 = written once, no compaction)
 * @param archive the archive on HDFS is written
 * @param s3Backup the archive is also written to S3
 * @param hbaseBytesPerEvent bytes HBase writes per event to HDFS (its WAL and flushed files; 0 = no event store)
 * @param hbaseWriteAmplification HBase compactions: total bytes written over bytes flushed (1 = no compaction)
 * @param batchIntervalSeconds the micro-batch interval
 * @param windowMinutes the longest window kept in state (top experiments)
 */
public record PipelineShape(
        boolean wal,
        int hdfsReplication,
        boolean kafkaColocated,
        int kafkaReplication,
        double compressionRatio,
        double archiveWriteAmplification,
        boolean archive,
        boolean s3Backup,
        double hbaseBytesPerEvent,
        double hbaseWriteAmplification,
        double batchIntervalSeconds,
        double windowMinutes) {
    public PipelineShape {
        Inputs.integerAtLeast("--hdfs-replication", hdfsReplication, 1);
        Inputs.integerAtLeast("--kafka-replication", kafkaReplication, 1);
        Inputs.between("--compression-ratio", compressionRatio, 0.01, 1);
        Inputs.atLeast("--archive-write-amplification", archiveWriteAmplification, 1);
        Inputs.atLeast("--hbase-bytes-per-event", hbaseBytesPerEvent, 0);
        Inputs.atLeast("--hbase-write-amplification", hbaseWriteAmplification, 1);
        Inputs.between("--batch-interval-seconds", batchIntervalSeconds, 0.1, 3600);
        Inputs.atLeast("--window-minutes", windowMinutes, 0);
    }

    /** The "simple arithmetic": one copy of the data, written once, uncompressed, nothing else. */
    public static PipelineShape simple() {
        return new PipelineShape(false, 1, false, 1, 1.0, 1, true, false, 0, 1, 5, 0);
    }

    /**
     * Sluice as deployed by default: archive on HDFS (x3) and S3, HBase event store, Kafka on its own brokers. The
     * archive's write amplification, 2.1, was measured on a demo run of 60,000 events at 1,000 events/s in 2-s batches
     * (4 partitions, Parquet with zstd): the event files of one hour landed as 124 small files of 10,447,756 bytes
     * (180.5 B per event) and compacted into 1 file of 9,354,556 bytes (161.6 B per event), so an archive root wrote
     * (10,447,756 + 9,354,556) / 9,354,556 = 2.1 times what it keeps. Small files compress a little worse than the
     * compacted one, which is why it is above 2. Other batch sizes, rates and partition counts give other figures:
     * {@code ./bin/sluice bench} measures it for a calibration file ({@link Calibration#ARCHIVE_WRITTEN_BYTES_KEY}),
     * which replaces it.
     */
    public static PipelineShape realistic() {
        return new PipelineShape(false, 3, false, 3, 0.25, 2.1, true, true, 700, 2, 5, 5);
    }

    /** The same pipeline with another archive compression ratio. */
    public PipelineShape withCompressionRatio(double ratio) {
        return with(ratio, archiveWriteAmplification, hbaseBytesPerEvent);
    }

    /** The same pipeline with another archive write amplification. */
    public PipelineShape withArchiveWriteAmplification(double amplification) {
        return with(compressionRatio, amplification, hbaseBytesPerEvent);
    }

    /** The same pipeline with another HBase bytes per event. */
    public PipelineShape withHbaseBytesPerEvent(double bytes) {
        return with(compressionRatio, archiveWriteAmplification, bytes);
    }

    /** The same pipeline with the measured quantities a calibration replaces. */
    private PipelineShape with(double ratio, double amplification, double hbaseBytes) {
        return new PipelineShape(
                wal,
                hdfsReplication,
                kafkaColocated,
                kafkaReplication,
                ratio,
                amplification,
                archive,
                s3Backup,
                hbaseBytes,
                hbaseWriteAmplification,
                batchIntervalSeconds,
                windowMinutes);
    }
}
