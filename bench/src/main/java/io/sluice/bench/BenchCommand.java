package io.sluice.bench;

import io.sluice.testkit.server.EmbeddedHBase;
import io.sluice.testkit.server.EmbeddedKafka;
import io.sluice.testkit.server.EmbeddedZooKeeper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice bench}: pre-loads a topic, then runs every contender over it, one at a time, in a random order
 * per round, the first round a discarded warm-up; writes {@code bench/results/<timestamp>.{json,md,svg}} and the
 * calibration for {@code ./bin/sluice plan}.
 */
@Command(
        name = "sluice bench",
        mixinStandardHelpOptions = true,
        description = "Throughput of Sluice per core, side by side with Structured Streaming and the parse limit.")
public final class BenchCommand implements Callable<Integer> {
    /**
     * The region server's heap: the full run's million events per run are more than the test suite's 1.5 GB held
     * (it ran out while the verification scanned them).
     */
    private static final int HBASE_HEAP_MB = 4096;

    @Option(
            names = "--quick",
            description = "A short run: 400,000 events, 3 repetitions, 15-s latency runs (about 15 minutes here).")
    boolean quick;

    @Option(names = "--events", description = "Events pre-loaded (default 1,000,000; --quick 400,000).")
    Long events;

    @Option(
            names = "--repetitions",
            description = "Measured runs per contender after the warm-up (default 5;" + " --quick 3).")
    Integer repetitions;

    @Option(names = "--latency-seconds", description = "How long the paced latency runs send (default 60; --quick 15).")
    Integer latencySeconds;

    @Option(names = "--no-micro", description = "Skip the JMH micro-benchmarks.")
    boolean noMicro;

    @Option(
            names = "--curves",
            description = "Instead of the contenders: sluice-full's scaling curves along partitions (4-64), batch"
                    + " interval (1-10 s), event size (300 B-6 KB) and experiments (10-100,000), written to"
                    + " <timestamp>-curves.{md,json,svg} (--quick: 100,000 events per point, else 400,000).")
    boolean curves;

    @Option(names = "--partitions", description = "Partitions of the topic. Default ${DEFAULT-VALUE}.")
    int partitions = 4;

    @Option(
            names = "--max-rate-per-partition",
            description = "Rate cap per partition for every Spark contender (events/s): with the batch interval it sets"
                    + " the size of a batch when a contender is behind, as it is through a run. Default"
                    + " ${DEFAULT-VALUE}.")
    long maxRatePerPartition = 10_000;

    @Option(
            names = "--results-visitors",
            description = "How Sluice's results job counts unique visitors in the runs: exact, hll or off"
                    + " (sluice.job.results.visitors). Default ${DEFAULT-VALUE}.")
    String resultsVisitors = "exact";

    @Option(names = "--contenders", split = ",", description = "Subset to run. Default: all.")
    List<String> only = List.of();

    @Option(names = "--seed", description = "Generator seed and run-order seed. Default ${DEFAULT-VALUE}.")
    long seed = 7;

    @Option(names = "--work-dir", description = "Servers and outputs (deleted first). Default ${DEFAULT-VALUE}.")
    Path workDir = Path.of("bench-data");

    @Option(names = "--out", description = "Where results go. Default ${DEFAULT-VALUE}.")
    Path out = Path.of("bench/results");

    @Option(
            names = "--archive-footprint",
            paramLabel = "FILE",
            description = "Instead of a benchmark: copy the primary archive root of this driver properties file (e.g."
                    + " demo-data/sluice-demo.properties after a demo) into --work-dir, compact every hour of the copy"
                    + " and print its files and bytes per record before and after.")
    Path archiveFootprint;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long count = events != null ? events : quick ? 400_000 : 1_000_000;
        int reps = repetitions != null ? repetitions : quick ? 3 : 5;
        List<Contender> contenders = new ArrayList<>(List.of(
                new ParseLimit(),
                new SluiceContender(SluiceContender.Mode.ARCHIVE),
                new SluiceContender(SluiceContender.Mode.FULL),
                new SluiceContender(SluiceContender.Mode.PUSH),
                new StructuredStreamingContender(),
                new FlinkContender()));
        List<String> names = contenders.stream().map(Contender::name).toList();
        if (count < 1000
                || reps < 1
                || partitions < 1
                || maxRatePerPartition < 1
                || !names.containsAll(only)
                || !List.of("exact", "hll", "off").contains(resultsVisitors)) {
            System.err.println("bench: --events >= 1000, --repetitions >= 1, --partitions >= 1,"
                    + " --max-rate-per-partition >= 1, --contenders a subset of " + names
                    + ", --results-visitors exact, hll or off");
            return 2;
        }
        if (!only.isEmpty()) {
            contenders.removeIf(c -> !only.contains(c.name()));
        }
        int cores = Math.min(2, Runtime.getRuntime().availableProcessors());
        workDir = workDir.toAbsolutePath();
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        if (archiveFootprint != null) {
            return ArchiveFootprint.reportOnCopy(archiveFootprint, workDir, System.out);
        }
        if (curves) {
            return curves(events != null ? events : quick ? 100_000 : 400_000, cores);
        }
        List<RunFigures> runs = new ArrayList<>();
        List<LatencyFigures> latencies = new ArrayList<>();
        Duration paced = Duration.ofSeconds(latencySeconds != null ? latencySeconds : quick ? 15 : 60);
        Map<String, Double> micro = Map.of();
        if (!noMicro) {
            System.out.println("bench: JMH micro-benchmarks of the per-event functions (one forked JVM)");
            micro = io.sluice.bench.micro.Micro.run(quick);
        }
        double eventBytes;
        System.out.println("bench: starting ZooKeeper, Kafka and HBase under " + workDir);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(workDir.resolve("zookeeper"));
                EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"));
                EmbeddedHBase hbase = EmbeddedHBase.start(workDir.resolve("hbase"), HBASE_HEAP_MB)) {
            Workload workload = Workload.preload(kafka, "bench-events", partitions, count, seed);
            eventBytes = workload.meanEventBytes();
            BenchContext context = new BenchContext(
                    workDir,
                    zk.connectString(),
                    kafka.bootstrapServers(),
                    hbase.zookeeperQuorum(),
                    hbase.zookeeperPort(),
                    workload,
                    maxRatePerPartition,
                    2000,
                    cores,
                    Map.of("kafka", kafka.pid(), "hbase", hbase.pid()),
                    resultsVisitors);
            Random order = new Random(seed);
            for (int round = 0; round <= reps; round++) {
                List<Contender> shuffled = new ArrayList<>(contenders);
                Collections.shuffle(shuffled, order);
                for (Contender contender : shuffled) {
                    RunFigures run = contender.run(context, round, round == 0);
                    runs.add(run);
                    System.out.printf(
                            "bench: %-22s %s %d: %,10.0f events/s (%,8.0f per core) in %6.1f s, %s%n",
                            contender.name(),
                            round == 0 ? "warm-up" : "run",
                            round,
                            run.eventsPerSecond(),
                            run.eventsPerSecondPerCore(),
                            run.seconds(),
                            run.check());
                    if (run.cores() > 1 && run.eventsPerSecond() > 0.9 * maxRatePerPartition * partitions) {
                        System.out.println("bench: warning: the rate cap binds (raise --max-rate-per-partition)");
                    }
                }
            }
            for (Contender contender : contenders) {
                if (!List.of("sluice-full", "structured-streaming").contains(contender.name())) {
                    continue;
                }
                double median = Summary.of(
                                contender.name(),
                                runs.stream()
                                        .filter(r ->
                                                !r.warmUp() && r.contender().equals(contender.name()))
                                        .toList())
                        .median();
                LatencyFigures latency = LatencyProbe.measure(contender, context, kafka, median / 2, paced);
                latencies.add(latency);
                System.out.printf(
                        "bench: %-22s latency at %,.0f events/s: p50 %,d ms, p99 %,d ms, max %,d ms (%,d events)%n",
                        contender.name(),
                        latency.eventsPerSecond(),
                        latency.p50Ms(),
                        latency.p99Ms(),
                        latency.maxMs(),
                        latency.events());
            }
        }
        Instant now = Instant.now();
        String date = date(now);
        String stamp = stamp(now);
        Map<String, Object> machine = machine();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("events", count);
        settings.put("partitions", partitions);
        settings.put("event_bytes", Math.round(eventBytes * 10) / 10.0);
        settings.put("repetitions", reps);
        settings.put("spark_master", "local[" + cores + "]");
        settings.put("batch_interval_ms", 2000);
        settings.put("max_rate_per_partition", maxRatePerPartition);
        settings.put("seed", seed);
        settings.put("results_visitors", resultsVisitors);
        settings.put("quick", quick);
        settings.put("latency_seconds", paced.toSeconds());
        BenchReport report = new BenchReport(machine, settings, runs, latencies, micro);
        Path md = report.write(out, stamp, date);
        System.out.println();
        System.out.print(report.markdown(date));
        System.out.println("\nbench: wrote " + md + " and its .json, .svg"
                + (report.summary("sluice-full").map(Summary::exact).orElse(false)
                        ? " and .calibration.properties"
                        : ""));
        boolean wrong = runs.stream().anyMatch(r -> Boolean.FALSE.equals(r.exact()));
        if (wrong) {
            System.out.println("bench: FAILED: a run's outputs were not exact (see 'outputs' and the JSON)");
        }
        return wrong ? 1 : 0;
    }

    /** The scaling curves ({@link Curves}) on servers of their own; {@code perPoint} events per point. */
    private int curves(long perPoint, int cores) throws Exception {
        double eventBytes;
        System.out.println("bench: starting ZooKeeper, Kafka and HBase under " + workDir);
        Curves.Written written;
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(workDir.resolve("zookeeper"));
                EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"));
                EmbeddedHBase hbase = EmbeddedHBase.start(workDir.resolve("hbase"), HBASE_HEAP_MB)) {
            BenchContext base = new BenchContext(
                    workDir,
                    zk.connectString(),
                    kafka.bootstrapServers(),
                    hbase.zookeeperQuorum(),
                    hbase.zookeeperPort(),
                    null,
                    maxRatePerPartition,
                    2000,
                    cores,
                    Map.of("kafka", kafka.pid(), "hbase", hbase.pid()),
                    resultsVisitors);
            Instant now = Instant.now();
            written = Curves.run(kafka, base, perPoint, seed, out, stamp(now), date(now), machine());
        }
        System.out.println();
        System.out.print(Files.readString(written.markdown()));
        System.out.println("\nbench: wrote " + written.markdown() + " and its .json, .svg");
        if (!written.exact()) {
            System.out.println("bench: FAILED: a point's outputs were not exact (see 'outputs' and the JSON)");
        }
        return written.exact() ? 0 : 1;
    }

    private static String date(Instant now) {
        return DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(now);
    }

    private static String stamp(Instant now) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(now);
    }

    private static Map<String, Object> machine() throws Exception {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("host", InetAddress.getLocalHost().getHostName());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("jdk", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
