package io.sluice.capacity.cli;

import io.sluice.capacity.model.Calibration;
import io.sluice.capacity.model.CapacityModel;
import io.sluice.capacity.model.NodeType;
import io.sluice.capacity.model.PipelineShape;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.PlanInput;
import io.sluice.capacity.model.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice plan}: sizes the cluster for a target load and prints which resource binds and the Spark
 * properties to use. Every flag can also come from {@code --config FILE} (keys are the flag names without dashes);
 * flags given on the command line win. Exit 0 on success, 2 with one line naming the flag on a bad input.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sizes a Sluice cluster for a target load and names the binding resource.")
public final class PlanCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { table, json, properties }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--simple", description = "The simple arithmetic: one copy of the data, network and disk only, no headroom; other flags still apply.")
    boolean simple;
    @Option(names = "--events-per-second", defaultValue = "1000000", description = "Average event rate (default ${DEFAULT-VALUE}).")
    double eventsPerSecond;
    @Option(names = "--event-bytes", defaultValue = "600", description = "Average event size in bytes (default ${DEFAULT-VALUE}).")
    double eventBytes;
    @Option(names = "--peak-factor", defaultValue = "1", description = "Peak rate over average (default ${DEFAULT-VALUE}).")
    double peakFactor;
    @Option(names = "--node-cores", defaultValue = "4", description = "Cores per node (default ${DEFAULT-VALUE}).")
    int nodeCores;
    @Option(names = "--nic-gbps", defaultValue = "1", description = "NIC speed per node, Gbit/s (default ${DEFAULT-VALUE}).")
    double nicGbps;
    @Option(names = "--disk-mbps", defaultValue = "100", description = "Disk write bandwidth per node, MB/s (default ${DEFAULT-VALUE}).")
    double diskMbps;
    @Option(names = "--node-memory-gb", defaultValue = "16", description = "Memory per node, GB (default ${DEFAULT-VALUE}).")
    double nodeMemoryGb;
    @Option(names = "--wal", converter = OnOff.class, arity = "1", paramLabel = "on|off", description = "Receiver write-ahead log (default off).")
    Boolean wal;
    @Option(names = "--hdfs-replication", description = "HDFS replication (default 3; 1 with --simple).")
    Integer hdfsReplication;
    @Option(names = "--kafka-colocated", converter = OnOff.class, arity = "1", paramLabel = "on|off", description = "Kafka brokers on these nodes (default off).")
    Boolean kafkaColocated;
    @Option(names = "--kafka-replication", description = "Kafka replication, counted when colocated (default 3).")
    Integer kafkaReplication;
    @Option(names = "--compression-ratio", description = "Archive bytes over input bytes (default 0.25; 1 with --simple).")
    Double compressionRatio;
    @Option(names = "--archive", converter = OnOff.class, arity = "1", paramLabel = "on|off", description = "Archive on HDFS (default on).")
    Boolean archive;
    @Option(names = "--s3-backup", converter = OnOff.class, arity = "1", paramLabel = "on|off", description = "Archive also to S3 (default on; off with --simple).")
    Boolean s3Backup;
    @Option(names = "--hbase-bytes-per-event", description = "Bytes HBase writes per event (default 700; 0 with --simple).")
    Double hbaseBytesPerEvent;
    @Option(names = "--hbase-write-amplification", description = "HBase compaction write amplification (default 2).")
    Double hbaseWriteAmplification;
    @Option(names = "--batch-interval-seconds", description = "Micro-batch interval (default 5).")
    Double batchIntervalSeconds;
    @Option(names = "--window-minutes", description = "Longest window kept in state (default 5).")
    Double windowMinutes;
    @Option(names = "--headroom", description = "Share of each resource kept free, 0 to 0.9 (default 0.3; 0 with --simple).")
    Double headroom;
    @Option(names = "--events-per-second-per-core", description = "Measured parse+jobs rate per core (default: from --calibration, else 25000).")
    Double eventsPerSecondPerCore;
    @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration file written by the benchmark.")
    Path calibration;
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with any of these flags (without dashes).")
    Path config;
    @Option(names = "--format", defaultValue = "table", description = "table, json or properties (default ${DEFAULT-VALUE}).")
    Format format;
    @Option(names = "--chart", paramLabel = "FILE.svg", description = "Also write an SVG chart of nodes per resource vs. rate (100k to 2M events/s).")
    Path chart;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command; returns the exit code. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PlanCommand());
        cli.setOut(out);
        cli.setErr(err);
        try {
            Path configFile = configFile(args);
            if (configFile != null) {
                cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(load(configFile)));
            }
        } catch (IllegalArgumentException e) {
            err.println("plan: " + e.getMessage());
            return 2;
        }
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("plan: " + e.getMessage().lines().findFirst().orElse(""));
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println("plan: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PlanInput input = input();
        Plan plan = CapacityModel.plan(input);
        String text = switch (format) {
            case table -> PlanFormats.table(plan);
            case json -> PlanFormats.json(plan);
            case properties -> PlanFormats.properties(plan);
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        if (chart != null) {
            Files.writeString(chart, NodesChart.svg(input, 100_000, 2_000_000, 38), StandardCharsets.UTF_8);
            spec.commandLine().getErr().println("plan: chart written to " + chart);
        }
        return 0;
    }

    PlanInput input() {
        PipelineShape base = simple ? PipelineShape.simple() : PipelineShape.realistic();
        PipelineShape shape = new PipelineShape(
                wal != null ? wal : base.wal(),
                hdfsReplication != null ? hdfsReplication : base.hdfsReplication(),
                kafkaColocated != null ? kafkaColocated : base.kafkaColocated(),
                kafkaReplication != null ? kafkaReplication : base.kafkaReplication(),
                compressionRatio != null ? compressionRatio : base.compressionRatio(),
                archive != null ? archive : base.archive(),
                s3Backup != null ? s3Backup : base.s3Backup(),
                hbaseBytesPerEvent != null ? hbaseBytesPerEvent : base.hbaseBytesPerEvent(),
                hbaseWriteAmplification != null ? hbaseWriteAmplification : base.hbaseWriteAmplification(),
                batchIntervalSeconds != null ? batchIntervalSeconds : base.batchIntervalSeconds(),
                windowMinutes != null ? windowMinutes : base.windowMinutes());
        return new PlanInput(new Workload(eventsPerSecond, eventBytes, peakFactor),
                new NodeType(nodeCores, nicGbps, diskMbps, nodeMemoryGb), shape, calibration(),
                headroom != null ? headroom : simple ? 0 : 0.3, simple);
    }

    private Calibration calibration() {
        if (eventsPerSecondPerCore != null) {
            return new Calibration(eventsPerSecondPerCore, "--events-per-second-per-core");
        }
        if (calibration != null) {
            String key = "sluice.calibration.events-per-second-per-core";
            String value = load(calibration).getProperty(key);
            if (value == null) {
                throw new IllegalArgumentException("--calibration: " + calibration + " has no " + key);
            }
            try {
                return new Calibration(Double.parseDouble(value.trim()), "measured, " + calibration.getFileName());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--calibration: " + key + " must be a number, got '" + value + "'");
            }
        }
        return Calibration.DEFAULT;
    }

    private static Path configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** Parses on/off (also true/false, yes/no). */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new CommandLine.TypeConversionException("expected on or off, got '" + value + "'");
            };
        }
    }
}
