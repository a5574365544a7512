package io.sluice.driver.cli;

import io.sluice.api.SluiceJob;
import io.sluice.api.config.ConfigException;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.replay.ArchiveReplayRun;
import io.sluice.driver.runtime.RunSetup;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.hbase.EventStoreTable;
import io.sluice.jobs.sink.hbase.ResultsTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice replay}: feeds the archived events of a time range through named jobs (a Spark batch job), to rebuild
 * a second HBase cluster, refill a store restored from an old snapshot, or count events read back from elsewhere.
 * Idempotent: a replay run twice, or killed and run again, ends the same.
 */
@Command(
        name = "sluice replay",
        mixinStandardHelpOptions = true,
        description = "Feeds the primary archive root's events of [--from, --to) (whole hours) through the named jobs."
                + " Each event is written at the source position it was archived with, so running it again, or after"
                + " a kill, ends the same. Exit 0: done; 1: failed; 2: bad arguments.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--from",
            required = true,
            paramLabel = "TIME",
            description = "Start of the event-time range: ISO-8601 (2026-12-01T10:00:00Z) or epoch ms; rounded down"
                    + " to the hour.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "TIME",
            description = "End of the range (exclusive), as --from; rounded up to the hour.")
    String to;

    @Option(
            names = "--jobs",
            required = true,
            split = ",",
            paramLabel = "JOB",
            description = "The jobs to feed, e.g. event-store,results (each named in sluice.jobs; not archive).")
    List<String> jobs = new ArrayList<>();

    @Option(
            names = "--target-config",
            paramLabel = "FILE",
            description = "Properties laid over --config for the jobs' outputs (e.g. another HBase cluster or table);"
                    + " the archive is read where --config says.")
    Path targetConfig;

    @Option(names = "--master", description = "Spark master of the replay. Default ${DEFAULT-VALUE}.")
    String master = "local[2]";

    @Option(names = "--files-per-task-slot", description = "Files per task slot per step. Default ${DEFAULT-VALUE}.")
    int filesPerSlot = 2;

    public static void main(String[] args) {
        System.exit(Commands.execute(new ReplayCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings source;
        SluiceSettings target;
        long[] range;
        try {
            source = options.load();
            Properties merged = SettingsLoader.properties(options.config, List.of());
            if (targetConfig != null) {
                merged.putAll(SettingsLoader.properties(targetConfig, List.of()));
            }
            merged.putAll(SettingsLoader.properties(null, options.overrides));
            target = SettingsLoader.load(merged);
            range = ArchiveReplayRun.hours(time("--from", from), time("--to", to));
            if (filesPerSlot < 1) {
                throw new ConfigException("--files-per-task-slot: expected a positive integer, got " + filesPerSlot);
            }
            if (range[0] >= range[1]) {
                throw new ConfigException("--to must be after --from");
            }
            if (source.pipeline().archiveRoots().isEmpty()) {
                throw new ConfigException("sluice replay reads the archive: sluice.jobs must name " + ArchiveJob.NAME);
            }
            for (String job : jobs) {
                if (job.equals(ArchiveJob.NAME)) {
                    throw new ConfigException(
                            "--jobs: " + ArchiveJob.NAME + " is what a replay reads, not a job to feed");
                }
                if (target.jobs().stream().noneMatch(j -> j.name().equals(job))) {
                    throw new ConfigException(
                            "--jobs: '" + job + "' is not a job of sluice.jobs (" + names(target.jobs()) + ")");
                }
            }
        } catch (ConfigException e) {
            System.err.println("sluice replay: " + e.getMessage());
            return 2;
        }
        String root = source.pipeline().archiveRoots().get(0);
        Configuration hadoop = ExecutorHadoop.configuration(source.pipeline().hadoopProperties());
        List<String> files = ArchiveReplayRun.files(
                FileSystem.get(URI.create(root), hadoop), new ArchiveLayout(root), range[0], range[1]);
        System.out.printf(
                "replay: %s to %s from %s: %d files, jobs %s%n",
                Instant.ofEpochMilli(range[0]), Instant.ofEpochMilli(range[1]), root, files.size(), jobs);

        boolean usesHBase = target.jobs().stream()
                .anyMatch(j ->
                        jobs.contains(j.name()) && (j.usesHBase() || j.name().equals(ResultsJob.NAME)));
        Configuration hbaseConf = usesHBase ? target.pipeline().hbase().clientConfiguration() : null;
        try (Connection hbase = usesHBase ? ConnectionFactory.createConnection(hbaseConf) : null) {
            Epoch epoch = new Epoch(currentEpoch(target), -1);
            RunSetup setup = RunSetup.forTaskSides(target, epoch, hbase);
            List<ArchiveReplayRun.Output> outputs = new ArrayList<>();
            for (SluiceJob job : target.jobs()) {
                if (jobs.contains(job.name()) && !job.name().equals(ResultsJob.NAME)) {
                    outputs.add(new ArchiveReplayRun.Output(job.name(), job.taskOutput(setup)));
                }
            }
            boolean results = jobs.contains(ResultsJob.NAME);
            if (target.createTables() && hbase != null) {
                try (Admin admin = hbase.getAdmin()) {
                    if (jobs.contains(EventStoreJob.NAME)) {
                        EventStoreTable.ensure(admin, target.pipeline().hbase());
                    }
                    if (results) {
                        ResultsTable.ensure(admin, target.pipeline().results().table());
                    }
                }
            }
            ArchiveReplayRun.Plan plan = new ArchiveReplayRun.Plan(
                    target.pipeline(),
                    outputs,
                    jobs.contains(EventStoreJob.NAME),
                    results ? target.pipeline().results() : null,
                    range[0],
                    range[1]);
            SparkConf conf =
                    new SparkConf().setIfMissing("spark.master", master).setAppName("sluice-replay");
            target.sparkProperties().forEach((k, v) -> {
                if (k.startsWith("spark.hadoop.")) {
                    conf.set(k, v);
                }
            });
            conf.set("spark.ui.enabled", "false");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                ArchiveReplayRun.Outcome outcome = ArchiveReplayRun.run(
                        sc,
                        hbaseConf,
                        hbase,
                        epoch,
                        plan,
                        files,
                        Math.max(1, filesPerSlot * sc.defaultParallelism()),
                        System.out);
                System.out.printf(
                        "replay: done: %d files, %d events, %d count rows and %d top rows of the results%n",
                        outcome.files(), outcome.events(), outcome.countRows(), outcome.topRows());
                return 0;
            }
        }
    }

    /** The newest epoch in ZooKeeper: the results' rows are fenced by it, so a live leader's later writes stand. */
    private static long currentEpoch(SluiceSettings settings) throws Exception {
        try (CuratorFramework zk = ZooKeeperClients.client(settings.zookeeperConnect(), settings.zookeeperAuth())) {
            zk.start();
            return new EpochCounter(zk, ZooKeeperPaths.forApplication(settings.appName())).current();
        }
    }

    private static long time(String option, String value) {
        try {
            return value.matches("-?\\d+")
                    ? Long.parseLong(value)
                    : Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(
                    option + ": expected an ISO-8601 instant (2026-12-01T10:00:00Z) or epoch ms, got '" + value + "'");
        }
    }

    private static String names(List<SluiceJob> jobs) {
        return String.join(",", jobs.stream().map(SluiceJob::name).toList());
    }
}
