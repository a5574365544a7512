package io.sluice.bench;

import io.sluice.bench.PeerOutputs.HBaseTarget;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The Flink peer ({@code bench/flink-peer}, {@code io.sluice.bench.flink.FlinkPeer}): the same outputs as the
 * Structured Streaming peer, each exactly once, from a Flink job on a local MiniCluster with exactly-once checkpoints
 * every batch interval. Flink and Spark cannot share a JVM, so the peer is a child process with the classpath its
 * module's build wrote, started for each run and reading the topic to its end offsets at start; its process is the
 * run's pipeline for CPU time, from the job's submission. Progress comes from the offsets it commits to its consumer group on each checkpoint;
 * the time from its own log, from the job's submission to its completion (the JVM's and the MiniCluster's start-up
 * left out, as the Spark contenders leave out their SparkContext's). Afterwards the outputs are compared with the
 * workload's ground truth ({@link PeerOutputs#check}).
 */
final class FlinkContender implements Contender {
    private static final String MAIN_CLASS = "io.sluice.bench.flink.FlinkPeer";
    private static final Pattern STARTED = Pattern.compile("^flink-peer: started (\\d+)$", Pattern.MULTILINE);
    private static final Pattern FINISHED = Pattern.compile("^flink-peer: finished (\\d+) (\\d+)$", Pattern.MULTILINE);
    /** Flink's CheckpointCoordinator logs this at INFO once per completed checkpoint (the peer's log4j2 keeps it). */
    private static final Pattern CHECKPOINT = Pattern.compile("Completed checkpoint \\d+ for job");

    /**
     * The peer's JVM options besides {@link ChildProcess#JDK17_FLAGS} (Spark's module flags, which are all Flink 1.20
     * needs on Java 17 here: every type the job serialises is a POJO or a record, no Kryo).
     */
    private static final List<String> PEER_JVM = List.of("-Xmx2g");

    @Override
    public String name() {
        return "flink";
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception {
        Workload workload = context.workload();
        String run = "bench-flink-" + repetition;
        Path dir = context.workDir().resolve(run);
        HBaseTarget target = HBaseTarget.forRun(context, run);
        RunMeter.Cost cost;
        String log;
        String check;
        try {
            target.createTables();
            ChildProcess peer = start(context, target, run, dir);
            try (Admin kafka =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers()))) {
                // measured from the job's submission, as the Spark contenders are from their running context: the
                // JVM's and the MiniCluster's start-up (about 20 CPU-seconds here) left out
                while (!peer.logContains("flink-peer: started ")) {
                    awaitRunning(peer);
                }
                RunMeter meter = RunMeter.start(peer.pid(), context.servers());
                while (!peer.logContains("flink-peer: finished ")) {
                    awaitRunning(peer);
                    meter.progress(committed(kafka, run, workload.topic()));
                }
                // the peer waits for its stdin to close after its last line: its CPU time is read while it is there
                cost = meter.finish(workload.events());
            } finally {
                peer.close();
            }
            log = Files.readString(peer.log(), StandardCharsets.UTF_8);
            check = PeerOutputs.check(dir.resolve("archive"), target, workload.truth());
        } finally {
            context.dropTables(target.eventTable(), target.resultsTable());
        }
        long startedMillis = Long.parseLong(find(STARTED, log).group(1));
        Matcher finished = find(FINISHED, log);
        double seconds = (Long.parseLong(finished.group(1)) - startedMillis) / 1e3;
        long read = Long.parseLong(finished.group(2));
        if (read != workload.events()) {
            check += " (the peer read " + read + " records)";
        }
        return new RunFigures(
                name(),
                repetition,
                warmUp,
                workload.events(),
                seconds,
                workload.events() / seconds,
                workload.events() / seconds / context.cores(),
                context.cores(),
                CHECKPOINT.matcher(log).results().count(),
                -1,
                -1,
                -1,
                -1, // the peer's heap and GC are its own JVM's, not measured
                -1,
                check.startsWith("exact"),
                check,
                cost,
                Map.of(),
                null,
                Map.of());
    }

    private static void awaitRunning(ChildProcess peer) throws Exception {
        OptionalInt exit = peer.awaitExit(Duration.ofMillis(100));
        if (exit.isPresent()) {
            throw new IllegalStateException("flink: the peer exited with " + exit.getAsInt() + ":\n" + peer.tail());
        }
    }

    /** Starts the peer on the workload's topic, its consumer group named after {@code run}, its log in {@code dir}. */
    private static ChildProcess start(BenchContext context, HBaseTarget target, String run, Path dir)
            throws IOException {
        List<String> args = List.of(
                MAIN_CLASS,
                "--bootstrap-servers",
                context.bootstrapServers(),
                "--topic",
                context.workload().topic(),
                "--group",
                run,
                "--hbase-quorum",
                context.hbaseQuorum(),
                "--hbase-port",
                Integer.toString(context.hbasePort()),
                "--event-table",
                target.eventTable(),
                "--results-table",
                target.resultsTable(),
                "--archive",
                dir.resolve("archive").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoint").toString(),
                "--parallelism",
                Integer.toString(context.cores()),
                "--checkpoint-interval-ms",
                Long.toString(context.batchIntervalMs()));
        return ChildProcess.start(
                "flink-peer",
                RuntimeClasspath.exitWithParent() + File.pathSeparator + peerClasspath(),
                PEER_JVM,
                RuntimeClasspath.EXIT_WITH_PARENT,
                args,
                dir.resolve("flink-peer.log"));
    }

    /** The records the peer has committed: the sum of its group's committed offsets on {@code topic}. */
    private static long committed(Admin kafka, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** The peer module's classes and the classpath its build wrote ({@code bench/flink-peer/target}). */
    private static String peerClasspath() throws IOException {
        Path target = RuntimeClasspath.home().resolve("bench/flink-peer/target");
        Path classes = target.resolve("classes");
        Path dependencies = target.resolve("classpath.txt");
        if (!Files.isDirectory(classes) || !Files.exists(dependencies)) {
            throw new IllegalStateException(
                    target + " lacks the Flink peer's build: build first with `mvn -B -DskipTests install`");
        }
        return classes
                + File.pathSeparator
                + Files.readString(dependencies, StandardCharsets.UTF_8).trim();
    }

    private static Matcher find(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        if (!m.find()) {
            throw new IllegalStateException("flink: no line " + pattern + " in the peer's log");
        }
        return m;
    }
}
