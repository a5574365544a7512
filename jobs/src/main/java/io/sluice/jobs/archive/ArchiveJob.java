package io.sluice.jobs.archive;

import static io.sluice.api.config.ConfigType.BOOLEAN;
import static io.sluice.api.config.ConfigType.INT;
import static io.sluice.api.config.ConfigType.LIST;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.DriverOutput;
import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOutput;
import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.ConfigException;
import io.sluice.api.config.Validator;
import io.sluice.api.event.PartitionBatch;
import io.sluice.jobs.event.SchemaConfig;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.sink.archive.ArchiveCompactor;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveMaintenance;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
import io.sluice.jobs.sink.archive.ArchiveReplicator;
import io.sluice.jobs.sink.archive.ArchiveSink;
import io.sluice.jobs.sink.archive.EventFormat;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The archive: every valid event and dead letter of every batch, in files named after their source position, in the
 * primary archive root (HDFS for batch analysis), copied to each replica root (S3 as a backup) asynchronously ({@link
 * ArchiveReplicator}). Two-phase: tasks write into the batch's stage ({@link ArchiveSink}), the driver publishes the
 * stage after the commit and rolls uncommitted stages back at start ({@link ArchiveRecovery}). The primary is push
 * ingestion's replay source.
 */
public final class ArchiveJob implements SluiceJob {
    public static final String NAME = "archive";
    public static final String ROOTS = "sluice.job.archive.roots";
    public static final String FORMAT = "sluice.job.archive.format";
    public static final String COMPRESSION = "sluice.job.archive.compression";
    public static final String COMPACTION = "sluice.job.archive.compaction";
    public static final String TARGET_FILE_MB = "sluice.job.archive.target-file-mb";
    public static final String RETENTION_DAYS = "sluice.job.archive.retention-days";

    public static final ConfigDef CONFIG = new ConfigDef("job " + NAME)
            .define(
                    ROOTS,
                    LIST,
                    null,
                    Validator.uris(),
                    "Archive roots (hdfs://, s3a://, file://). The first is the primary: every batch's valid events and"
                            + " dead letters are written there, published when the batch commits, and push ingestion's"
                            + " results are rebuilt from it. Each other root is a replica (S3 as a backup): the"
                            + " published files are copied to it asynchronously, so its outage stalls nothing.")
            .define(
                    FORMAT,
                    STRING,
                    "parquet",
                    Validator.oneOf("parquet", "jsonl"),
                    "Format of the archived events: `parquet` (columns from the event schema's required fields,"
                            + " the event as received in `raw`; see README, Archive) or `jsonl` (one event as received"
                            + " per line). Dead letters are JSON lines either way.")
            .define(
                    COMPRESSION,
                    STRING,
                    "zstd",
                    Validator.oneOf("zstd", "snappy", "gzip", "none"),
                    "Compression of the archived events: Parquet's codec, or the whole file's for JSON lines"
                            + " (`.jsonl.zst`, `.jsonl.gz`; JSON lines take no `snappy`).")
            .define(
                    COMPACTION,
                    BOOLEAN,
                    "true",
                    Validator.any(BOOLEAN),
                    "Whether each event hour of the primary root, once final (every partition's event-time clock"
                            + " past it by the allowed lateness: needs the results job), is compacted into files of"
                            + " about `target-file-mb` and marked `_SUCCESS`; the replicas follow.")
            .define(
                    TARGET_FILE_MB,
                    INT,
                    "128",
                    Validator.atLeast(1),
                    "Size of the compacted files (MB): an hour gets one file per this many MB of small files, or"
                            + " part of it.")
            .define(
                    RETENTION_DAYS,
                    INT,
                    "0",
                    Validator.atLeast(0),
                    "Days of event time the archive keeps, in every root: whole hours ending longer ago than this"
                            + " (by the batch time) are deleted, with dead-letter files as old. 0: kept for ever.");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    /** The archive keeps every dead letter: the batch's own, and those each job made for itself. */
    @Override
    public boolean writesDeadLetters() {
        return true;
    }

    @Override
    public void validate(Config config) {
        format(config);
    }

    /**
     * The compactor of {@code root} (the primary root these properties name, or a copy of it) at their target file
     * size and codec, under {@code epoch}: the driver's, and the benchmark's when it measures what compaction keeps.
     */
    public static ArchiveCompactor compactor(
            Config config, String root, FileSystem fs, long epoch, ArchiveCompactor.Rewriter rewriter) {
        EventFormat format = format(config);
        return new ArchiveCompactor(
                fs,
                new ArchiveLayout(root),
                config.getInt(TARGET_FILE_MB) * 1024L * 1024L,
                epoch,
                format.kind() == EventFormat.Kind.PARQUET ? format.parquetCodec() : CompressionCodecName.ZSTD,
                rewriter);
    }

    /** The format of the archived events these properties choose. */
    public static EventFormat format(Config config) {
        EventFormat.Kind kind =
                EventFormat.Kind.valueOf(config.getString(FORMAT).toUpperCase(Locale.ROOT));
        EventFormat.Codec codec = EventFormat.Codec.of(config.getString(COMPRESSION));
        if (kind == EventFormat.Kind.JSONL && codec == EventFormat.Codec.SNAPPY) {
            throw new ConfigException(
                    COMPRESSION + ": JSON lines are compressed with zstd, gzip or none (snappy is Parquet's only), got"
                            + " snappy");
        }
        return EventFormat.of(kind, codec, config.getList(SchemaConfig.REQUIRED));
    }

    /** The task side writes the primary root only: the replicas are copies of it. */
    @Override
    public TaskOutput taskOutput(JobSetup setup) {
        return new Task(setup.config().getList(ROOTS).get(0), format(setup.config()));
    }

    @Override
    public Optional<DriverOutput> driverOutput(JobSetup setup) throws IOException {
        List<String> roots = setup.config().getList(ROOTS);
        FileSystem primaryFs = FileSystem.get(URI.create(roots.get(0)), setup.hadoop());
        ArchiveLayout primary = new ArchiveLayout(roots.get(0));
        List<ArchiveReplicator> replicas = new ArrayList<>();
        for (String root : roots.subList(1, roots.size())) {
            replicas.add(new ArchiveReplicator(
                    primaryFs, primary, FileSystem.get(URI.create(root), setup.hadoop()), new ArchiveLayout(root)));
        }
        ArchiveRecovery recovery =
                new ArchiveRecovery(primaryFs, primary, file -> replicas.forEach(r -> r.published(file)));
        Config c = setup.config();
        ArchiveCompactor compactor = compactor(
                c,
                roots.get(0),
                primaryFs,
                setup.epoch().number(),
                new SparkRewriter(roots.get(0), setup.hadoopProperties()));
        ArchivePublisher.Horizons horizons = new ArchivePublisher.Horizons(
                c.getLong(ResultsJob.LATENESS) + c.getLong(ResultsJob.REVISE_WITHIN),
                c.getInt(RETENTION_DAYS) * 86_400_000L,
                c.getBoolean(COMPACTION));
        return Optional.of(new ArchivePublisher(
                recovery,
                replicas,
                new ArchiveMaintenance(primaryFs, primary, horizons.compaction() ? compactor : null, replicas),
                horizons,
                setup.epoch()));
    }

    /** Writes a batch into its stage in the primary root; counts the files and events written. */
    private record Task(String root, EventFormat format) implements TaskOutput {
        @Override
        public void write(PartitionBatch batch, TaskContext context) throws IOException {
            FileSystem fs = FileSystem.get(URI.create(root), context.hadoop());
            ArchiveSink.Written written = new ArchiveSink(fs, new ArchiveLayout(root), format)
                    .write(batch, context.stage(), context.arrival());
            context.count("files", written.files());
            context.count("events", written.events());
        }
    }
}
