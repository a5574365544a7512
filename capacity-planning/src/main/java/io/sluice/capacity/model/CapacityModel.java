package io.sluice.capacity.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput model: a pure function from a {@link PlanInput} to a {@link Plan}. All rates are at peak.
 *
 * <p>The nodes run Spark executors next to HDFS data nodes and HBase region servers (the first HDFS replica of a
 * write is local); Kafka runs on its own brokers unless {@code kafkaColocated}. Per event of B bytes at peak rate R
 * (r = HDFS replication, c = compression ratio: the bytes the archive keeps, its compacted files, over B; w = the
 * archive's write amplification: the bytes an archive root writes, the small files as they land plus the compacted
 * files, over the bytes it keeps; H = HBase bytes per event, a = compaction amplification, k = Kafka replication; c, w
 * and H are the calibration's measured bytes when it has them), the cluster:
 *
 * <ul>
 *   <li>network in: receives R·B from Kafka (or from HTTP senders with the WAL), the HBase puts R·H (taken as all
 *       remote: keys are salted across region servers), (r-1) replicas of every HDFS write (of the archive, its
 *       written bytes R·B·c·w), and with Kafka colocated R·B·k (producers and follower fetches);
 *   <li>network out: sends the HBase puts R·H, the (r-1) HDFS replicas, the S3 backup R·B·c·w (the replica copies
 *       files as they are committed: the small files, then the compacted ones), and with Kafka colocated R·B·(k-1) to
 *       followers plus R·B to Spark;
 *   <li>disk write: WAL R·B·r, archive R·B·c·w·r, HBase R·H·a·r, and with Kafka colocated R·B·k;
 *   <li>disk read: HBase compactions read what they rewrite, R·H·(a-1); the archive's compaction reads the small
 *       files back once, R·B·c·(w-1) (steady state: the WAL is read only on recovery, Kafka followers and consumers
 *       read from the page cache);
 *   <li>cpu: R over the calibrated events/s per core of the Spark process, plus one core per receiver with the
 *       WAL, plus the region servers' R·(µs per event) when measured, plus with Kafka colocated the brokers'
 *       R·k·(µs per event and replica) when measured, on all cores but one per node;
 *   <li>memory: three batches of input at once (receiving, processing, writing) plus the window state, in the Spark
 *       share of each node's memory.
 * </ul>
 *
 * The archive's storage ({@link Storage}) counts what it keeps, R·B·c·r, not what it writes.
 *
 * Nodes for a resource = ceil(demand / (per-node capacity x (1 - headroom))); the plan takes the largest.
 *
 * <p>Every term belongs to the role whose process causes it: the executors (with the data node under their WAL
 * and archive) own the input, the WAL, the archive (its writes and its compaction's reads), its replicas, the S3
 * backup, the puts they send, their CPU and memory; the region servers own the puts they receive, HBase's files,
 * their replicas, compactions and their CPU; the brokers own Kafka's traffic, disk and CPU. A role's own requirement
 * is its terms against the same per-node offers; Kafka brokers on their own nodes are sized that way and left out of
 * the total. The binding role is the colocated role with the largest part of the binding resource.
 */
public final class CapacityModel {
    private CapacityModel() {}

    public static Plan plan(PlanInput in) {
        Map<Resource, Requirement> all = allRoles(in);
        boolean kafkaHere = in.pipeline().kafkaColocated();
        List<Requirement> requirements = new ArrayList<>();
        for (Requirement r : all.values()) {
            requirements.add(
                    kafkaHere
                            ? r
                            : Requirement.of(
                                    r.resource(),
                                    r.perNode(),
                                    r.terms().stream()
                                            .filter(t -> t.role() != Role.KAFKA_BROKERS)
                                            .toList()));
        }
        Requirement binding = Requirement.binding(requirements);
        int nodes = Math.max(1, binding.nodes());
        List<RoleRequirement> roles = new ArrayList<>();
        for (Role role : Role.values()) {
            roles.add(new RoleRequirement(
                    role,
                    role != Role.KAFKA_BROKERS || kafkaHere,
                    all.values().stream().map(r -> r.of(role)).toList()));
        }
        return new Plan(
                in,
                requirements,
                binding.resource(),
                nodes,
                roles,
                bindingRole(binding, roles),
                SettingsPlanner.settings(in, nodes),
                Storage.of(in));
    }

    /** The role with the largest part of the binding resource among those on the planned nodes. */
    private static Role bindingRole(Requirement binding, List<RoleRequirement> roles) {
        return roles.stream()
                .filter(RoleRequirement::colocated)
                .map(RoleRequirement::role)
                .max(Comparator.comparingDouble(binding::demandOf))
                .orElseThrow();
    }

    /** Every resource's requirement with every role's terms, Kafka's included wherever its brokers run. */
    private static Map<Resource, Requirement> allRoles(PlanInput in) {
        double free = 1 - in.headroom();
        NodeType node = in.node();
        Map<Resource, Requirement> all = new EnumMap<>(Resource.class);
        all.put(
                Resource.NETWORK_IN,
                Requirement.of(Resource.NETWORK_IN, node.nicBytesPerSecond() * free, networkIn(in)));
        all.put(
                Resource.NETWORK_OUT,
                Requirement.of(Resource.NETWORK_OUT, node.nicBytesPerSecond() * free, networkOut(in)));
        all.put(
                Resource.DISK_WRITE,
                Requirement.of(Resource.DISK_WRITE, node.diskBytesPerSecond() * free, diskWrite(in)));
        all.put(Resource.DISK_READ, Requirement.of(Resource.DISK_READ, node.diskBytesPerSecond() * free, diskRead(in)));
        if (!in.networkAndDiskOnly()) {
            all.put(Resource.CPU, Requirement.of(Resource.CPU, node.executorCores() * free, cpu(in)));
            all.put(Resource.MEMORY, Requirement.of(Resource.MEMORY, node.sparkStorageBytes() * free, memory(in)));
        }
        return all;
    }

    private static List<Term> networkIn(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(f.p.wal() ? "events from senders" : "events from kafka", f.rb, Role.SPARK_EXECUTORS));
        add(terms, "hbase puts", f.hbase, Role.REGION_SERVERS);
        String replicas = "hdfs replicas x" + (f.rep - 1);
        add(terms, replicas, f.sparkFiles * (f.rep - 1), Role.SPARK_EXECUTORS);
        add(terms, replicas, f.hbaseFiles * (f.rep - 1), Role.REGION_SERVERS);
        add(terms, "kafka brokers x" + f.p.kafkaReplication(), f.kafka, Role.KAFKA_BROKERS);
        return terms;
    }

    private static List<Term> networkOut(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        // the puts leave through the executors' NICs; they enter the region servers' (network in)
        add(terms, "hbase puts", f.hbase, Role.SPARK_EXECUTORS);
        String replicas = "hdfs replicas x" + (f.rep - 1);
        add(terms, replicas, f.sparkFiles * (f.rep - 1), Role.SPARK_EXECUTORS);
        add(terms, replicas, f.hbaseFiles * (f.rep - 1), Role.REGION_SERVERS);
        // the replica copies every committed file: the small ones as they land, then the compacted ones
        add(terms, "s3 backup", f.p.s3Backup() ? f.archiveWritten : 0, Role.SPARK_EXECUTORS);
        add(terms, "kafka followers and spark", f.kafka, Role.KAFKA_BROKERS);
        return terms;
    }

    private static List<Term> diskWrite(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        add(terms, "wal x" + f.rep, f.wal * f.rep, Role.SPARK_EXECUTORS);
        add(terms, "archive x" + f.rep, f.archiveWritten * f.rep, Role.SPARK_EXECUTORS);
        add(
                terms,
                "hbase x" + f.rep + " x" + number(f.p.hbaseWriteAmplification()),
                f.hbaseFiles * f.rep,
                Role.REGION_SERVERS);
        add(terms, "kafka x" + f.p.kafkaReplication(), f.kafka, Role.KAFKA_BROKERS);
        return terms;
    }

    private static List<Term> diskRead(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        add(terms, "hbase compactions", f.hbaseFiles - f.hbase, Role.REGION_SERVERS);
        // the small files are read back once, from one replica; the compacted files they become are what it keeps
        add(terms, "archive compaction", f.archiveWritten - f.archive, Role.SPARK_EXECUTORS);
        return terms;
    }

    private static List<Term> cpu(PlanInput in) {
        double r = in.workload().peakEventsPerSecond();
        Calibration c = in.calibration();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(
                "parse + jobs at " + number(c.eventsPerSecondPerCore()) + "/s per core (" + c.source() + ")",
                r / c.eventsPerSecondPerCore(),
                Role.SPARK_EXECUTORS));
        if (in.pipeline().wal()) {
            terms.add(new Term("receivers", SettingsPlanner.receivers(r), Role.SPARK_EXECUTORS));
        }
        if (in.pipeline().hbaseBytesPerEvent() > 0) {
            add(
                    terms,
                    "region servers at " + number(c.hbaseCpuMicrosPerEvent().orElse(0)) + " us/event",
                    r * c.hbaseCpuSecondsPerEvent(),
                    Role.REGION_SERVERS);
        }
        int k = in.pipeline().kafkaReplication();
        add(
                terms,
                "kafka brokers at " + number(c.kafkaCpuMicrosPerEvent().orElse(0)) + " us/event x" + k,
                r * c.kafkaCpuSecondsPerEvent() * k,
                Role.KAFKA_BROKERS);
        return terms;
    }

    private static List<Term> memory(PlanInput in) {
        PipelineShape p = in.pipeline();
        double r = in.workload().peakEventsPerSecond();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(
                "3 batches of " + number(p.batchIntervalSeconds()) + " s",
                3 * in.workload().peakBytesPerSecond() * p.batchIntervalSeconds(),
                Role.SPARK_EXECUTORS));
        // window state: per experiment, variation and window minute a few hundred bytes, bounded by the key space
        add(
                terms,
                number(p.windowMinutes()) + " min window state",
                Math.min(r * 60, 100_000) * p.windowMinutes() * 200,
                Role.SPARK_EXECUTORS);
        return terms;
    }

    private static void add(List<Term> terms, String name, double amount, Role role) {
        if (amount > 0) {
            terms.add(new Term(name, amount, role));
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The byte flows one plan is made of, at peak (one copy unless the name says otherwise): {@code archive} is what
     * the archive keeps, {@code archiveWritten} what it writes.
     */
    private static final class Flows {
        final PipelineShape p;
        final int rep;
        final double rb;
        final double wal;
        final double archive;
        final double archiveWritten;
        final double hbase;
        final double hbaseFiles;
        final double sparkFiles;
        final double kafka;

        Flows(PlanInput in) {
            p = in.pipeline();
            rep = p.hdfsReplication();
            rb = in.workload().peakBytesPerSecond();
            wal = p.wal() ? rb : 0;
            archive = p.archive() ? rb * p.compressionRatio() : 0;
            archiveWritten = archive * p.archiveWriteAmplification();
            hbase = in.workload().peakEventsPerSecond() * p.hbaseBytesPerEvent();
            hbaseFiles = hbase * p.hbaseWriteAmplification();
            sparkFiles = wal + archiveWritten;
            kafka = rb * p.kafkaReplication();
        }
    }
}
