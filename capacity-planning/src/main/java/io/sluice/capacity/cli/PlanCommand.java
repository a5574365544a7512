package io.sluice.capacity.cli;

import io.sluice.capacity.chart.NodesChart;
import io.sluice.capacity.model.Calibration;
import io.sluice.capacity.model.CapacityModel;
import io.sluice.capacity.model.NodeType;
import io.sluice.capacity.model.PipelineShape;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.PlanInput;
import io.sluice.capacity.model.Workload;
import io.sluice.capacity.report.PlanJson;
import io.sluice.capacity.report.PlanProperties;
import io.sluice.capacity.report.PlanTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice plan}: sizes the cluster for a target load, names the binding resource and role, shows what
 * each role (Spark executors, region servers, Kafka brokers) needs, and prints the settings to run with. Every flag can also come from {@code --config FILE} (see {@link ConfigFile}); a flag on the
 * command line wins. Exit 0 on success; 2 with one line on stderr naming the flag on a bad input; 1 on a bug.
 */
@Command(
        name = "plan",
        sortOptions = false,
        usageHelpWidth = 110,
        description = "Sizes a Sluice cluster for a target load, names the resource that runs out first and prints"
                + " the Spark and Sluice settings to run it with.")
public final class PlanCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        table,
        json,
        properties
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--simple",
            description = "The reference case's simple arithmetic: no WAL, one copy of the data"
                    + " (replication 1, no compression, no S3, no HBase), network and disk only, no headroom. Other flags"
                    + " still apply on top.")
    boolean simple;

    @Option(
            names = "--events-per-second",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Average event rate (default ${DEFAULT-VALUE}).")
    double eventsPerSecond;

    @Option(
            names = "--event-bytes",
            paramLabel = "B",
            defaultValue = "600",
            description = "Average event size, bytes (default ${DEFAULT-VALUE}).")
    double eventBytes;

    @Option(
            names = "--peak-factor",
            paramLabel = "F",
            defaultValue = "1",
            description = "Peak rate over the average; the plan sizes for the peak (default ${DEFAULT-VALUE}).")
    double peakFactor;

    @Option(
            names = "--retention-hours",
            paramLabel = "H",
            defaultValue = "168",
            description = "Kafka retention, for the storage figures (default ${DEFAULT-VALUE}).")
    double retentionHours;

    @Option(
            names = "--node-cores",
            paramLabel = "N",
            defaultValue = "4",
            description = "Cores per node (default ${DEFAULT-VALUE}).")
    int nodeCores;

    @Option(
            names = "--nic-gbps",
            paramLabel = "GBIT",
            defaultValue = "1",
            description = "NIC speed per node, Gbit/s, full duplex (default ${DEFAULT-VALUE}).")
    double nicGbps;

    @Option(
            names = "--disk-mbps",
            paramLabel = "MB",
            defaultValue = "100",
            description = "Disk bandwidth per node, MB/s, all data disks (default ${DEFAULT-VALUE}).")
    double diskMbps;

    @Option(
            names = "--node-memory-gb",
            paramLabel = "GB",
            defaultValue = "16",
            description = "Memory per node, GB (default ${DEFAULT-VALUE}).")
    double nodeMemoryGb;

    @Option(
            names = "--wal",
            converter = OnOff.class,
            arity = "1",
            paramLabel = "on|off",
            description = "Receiver write-ahead log, i.e. push ingestion through receivers (default off).")
    Boolean wal;

    @Option(
            names = "--hdfs-replication",
            paramLabel = "N",
            description = "HDFS replication of WAL, archive and HBase files (default 3; 1 with --simple).")
    Integer hdfsReplication;

    @Option(
            names = "--kafka-colocated",
            converter = OnOff.class,
            arity = "1",
            paramLabel = "on|off",
            description = "Kafka brokers run on these nodes (default off).")
    Boolean kafkaColocated;

    @Option(
            names = "--kafka-replication",
            paramLabel = "N",
            description =
                    "Kafka replication; counts in nodes when colocated, always in storage (default 3; 1 with --simple).")
    Integer kafkaReplication;

    @Option(
            names = "--compression-ratio",
            paramLabel = "R",
            description =
                    "Bytes the archive keeps (compacted) over input bytes, 0.01 to 1 (default 0.25; 1 with --simple).")
    Double compressionRatio;

    @Option(
            names = "--archive-write-amplification",
            paramLabel = "W",
            description = "Bytes an archive root writes (small files as they land, then the compacted files) over the"
                    + " bytes it keeps, >= 1 (default 2.1, measured on a demo run in 2-s batches: 124 small files"
                    + " of 180.5 B per event compacted into 1 of 161.6 B; ./bin/sluice bench measures it for"
                    + " --calibration; 1 with --simple).")
    Double archiveWriteAmplification;

    @Option(
            names = "--archive",
            converter = OnOff.class,
            arity = "1",
            paramLabel = "on|off",
            description = "Archive on HDFS (default on).")
    Boolean archive;

    @Option(
            names = "--s3-backup",
            converter = OnOff.class,
            arity = "1",
            paramLabel = "on|off",
            description = "Archive also to S3, through the NIC (default on; off with --simple).")
    Boolean s3Backup;

    @Option(
            names = "--hbase-bytes-per-event",
            paramLabel = "B",
            description = "Bytes the HBase event store writes per event (default 700; 0 with --simple).")
    Double hbaseBytesPerEvent;

    @Option(
            names = "--hbase-write-amplification",
            paramLabel = "A",
            description = "HBase compaction write amplification, >= 1 (default 2; 1 with --simple).")
    Double hbaseWriteAmplification;

    @Option(names = "--batch-interval-seconds", paramLabel = "S", description = "Micro-batch interval (default 5).")
    Double batchIntervalSeconds;

    @Option(
            names = "--window-minutes",
            paramLabel = "M",
            description = "Longest window kept in state (default 5; 0 with --simple).")
    Double windowMinutes;

    @Option(
            names = "--headroom",
            paramLabel = "H",
            description = "Share of every resource kept free, 0 to 0.9 (default 0.3; 0 with --simple).")
    Double headroom;

    @Option(
            names = "--events-per-second-per-core",
            paramLabel = "N",
            description = "Measured rate of the Spark process per core (default: from --calibration, else 25000, a"
                    + " conservative guess).")
    Double eventsPerSecondPerCore;

    @Option(
            names = "--calibration",
            paramLabel = "FILE",
            description = "Properties file with " + Calibration.KEY + " and optionally " + Calibration.HBASE_CPU_KEY
                    + ", " + Calibration.KAFKA_CPU_KEY + ", " + Calibration.ARCHIVE_BYTES_KEY + ", "
                    + Calibration.ARCHIVE_WRITTEN_BYTES_KEY + ", " + Calibration.EVENT_STORE_BYTES_KEY
                    + " (written by ./bin/sluice bench).")
    Path calibration;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Properties file with any of these flags as keys, without the dashes.")
    Path config;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "table|json|properties",
            description = "Output format (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--chart",
            paramLabel = "FILE.svg",
            description = "Also write an SVG chart of the nodes per resource from a tenth of the rate to twice it.")
    Path chart;

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /**
     * Runs the command with the given streams; never exits the JVM.
     *
     * @return the exit code: 0 done, 2 bad input (one line on {@code err}), 1 unexpected failure
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PlanCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        ConfigFile configFile = null;
        try {
            Path path = configPath(args);
            if (path != null) {
                configFile = ConfigFile.load(path, cli.getCommandSpec());
                cli.setDefaultValueProvider(configFile);
            }
        } catch (IllegalArgumentException e) {
            err.println("plan: " + e.getMessage());
            return 2;
        }
        ConfigFile usedConfig = configFile;
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("plan: " + ErrorLine.of(e, usedConfig));
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof IllegalArgumentException) {
                err.println("plan: " + e.getMessage());
                return 2;
            }
            err.println("plan: failed: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        PlanInput input = input();
        Plan plan = CapacityModel.plan(input);
        String text =
                switch (format) {
                    case table -> PlanTable.render(plan);
                    case json -> PlanJson.render(plan);
                    case properties -> PlanProperties.render(plan);
                };
        if (chart != null) {
            try {
                Files.writeString(chart, NodesChart.svg(input), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--chart must be a writable file, cannot write '" + chart + "': "
                        + e.getClass().getSimpleName());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }

    /**
     * The model's input from the flags: the preset ({@code --simple} or realistic), with the calibration file's
     * measured bytes per event in place of the realistic preset's assumptions, and every given flag on top. So for
     * each quantity a flag wins over the calibration file, which wins over the preset; {@code --simple} keeps its
     * own arithmetic and takes nothing from the calibration. A given {@code --compression-ratio} is the stored bytes
     * the calibration's written archive bytes are divided by when the file has no stored archive bytes.
     */
    PlanInput input() {
        Workload workload = new Workload(eventsPerSecond, eventBytes, peakFactor, retentionHours);
        Calibration measured = calibration();
        PipelineShape realistic = compressionRatio == null
                ? PipelineShape.realistic()
                : PipelineShape.realistic().withCompressionRatio(compressionRatio);
        PipelineShape base = simple ? PipelineShape.simple() : measured.applyTo(realistic, workload.eventBytes());
        PipelineShape shape = new PipelineShape(
                or(wal, base.wal()),
                or(hdfsReplication, base.hdfsReplication()),
                or(kafkaColocated, base.kafkaColocated()),
                or(kafkaReplication, base.kafkaReplication()),
                or(compressionRatio, base.compressionRatio()),
                or(archiveWriteAmplification, base.archiveWriteAmplification()),
                or(archive, base.archive()),
                or(s3Backup, base.s3Backup()),
                or(hbaseBytesPerEvent, base.hbaseBytesPerEvent()),
                or(hbaseWriteAmplification, base.hbaseWriteAmplification()),
                or(batchIntervalSeconds, base.batchIntervalSeconds()),
                or(windowMinutes, base.windowMinutes()));
        return new PlanInput(
                workload,
                new NodeType(nodeCores, nicGbps, diskMbps, nodeMemoryGb),
                shape,
                measured,
                or(headroom, simple ? 0.0 : 0.3),
                simple);
    }

    /** The calibration file's costs (or the defaults), with {@code --events-per-second-per-core} over its rate. */
    private Calibration calibration() {
        Calibration file = calibration == null
                ? Calibration.DEFAULT
                : Calibration.from(
                        ConfigFile.read("--calibration", calibration),
                        calibration.getFileName().toString());
        return eventsPerSecondPerCore == null ? file : file.withEventsPerSecondPerCore(eventsPerSecondPerCore, "given");
    }

    private static <T> T or(T given, T preset) {
        return given != null ? given : preset;
    }

    /** {@code --config} is read before parsing, since its values are the other flags' defaults. */
    private static Path configPath(String[] args) {
        Path path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                path = Path.of(args[i].substring("--config=".length()));
            }
        }
        return path;
    }
}
