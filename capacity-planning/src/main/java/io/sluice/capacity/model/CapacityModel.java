package io.sluice.capacity.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The throughput model: a pure function from a {@link PlanInput} to a {@link Plan}. All rates are at peak.
 *
 * <p>The nodes run Spark executors next to HDFS data nodes and HBase region servers (the first HDFS replica of a
 * write is local); Kafka runs on its own brokers unless {@code kafkaColocated}. Per event of B bytes at peak rate R
 * (r = HDFS replication, c = compression ratio, H = HBase bytes per event, a = compaction amplification, k = Kafka
 * replication), the cluster:
 *
 * <ul>
 *   <li>network in: receives R·B from Kafka (or from HTTP senders with the WAL), the HBase puts R·H (taken as all
 *       remote: keys are salted across region servers), (r-1) replicas of every HDFS write, and with Kafka
 *       colocated R·B·k (producers and follower fetches);
 *   <li>network out: sends the HBase puts R·H, the (r-1) HDFS replicas, the S3 backup R·B·c, and with Kafka
 *       colocated R·B·(k-1) to followers plus R·B to Spark;
 *   <li>disk write: WAL R·B·r, archive R·B·c·r, HBase R·H·a·r, and with Kafka colocated R·B·k;
 *   <li>disk read: HBase compactions read what they rewrite, R·H·(a-1) (steady state: the WAL is read only on
 *       recovery, Kafka followers and consumers read from the page cache);
 *   <li>cpu: R over the calibrated events/s per core, plus one core per receiver with the WAL, on all cores but one
 *       per node;
 *   <li>memory: three batches of input at once (receiving, processing, writing) plus the window state, in the Spark
 *       share of each node's memory.
 * </ul>
 *
 * Nodes for a resource = ceil(demand / (per-node capacity x (1 - headroom))); the plan takes the largest.
 */
public final class CapacityModel {
    private CapacityModel() {}

    public static Plan plan(PlanInput in) {
        double free = 1 - in.headroom();
        NodeType node = in.node();
        List<Requirement> requirements = new ArrayList<>();
        requirements.add(Requirement.of(Resource.NETWORK_IN, node.nicBytesPerSecond() * free, networkIn(in)));
        requirements.add(Requirement.of(Resource.NETWORK_OUT, node.nicBytesPerSecond() * free, networkOut(in)));
        requirements.add(Requirement.of(Resource.DISK_WRITE, node.diskBytesPerSecond() * free, diskWrite(in)));
        requirements.add(Requirement.of(Resource.DISK_READ, node.diskBytesPerSecond() * free, diskRead(in)));
        if (!in.networkAndDiskOnly()) {
            requirements.add(Requirement.of(Resource.CPU, node.executorCores() * free, cpu(in)));
            requirements.add(Requirement.of(Resource.MEMORY, node.sparkStorageBytes() * free, memory(in)));
        }
        Requirement binding = requirements.stream()
                .max(Comparator.comparingInt(Requirement::nodes).thenComparingDouble(Requirement::load))
                .orElseThrow();
        int nodes = Math.max(1, binding.nodes());
        return new Plan(
                in, requirements, binding.resource(), nodes, SettingsPlanner.settings(in, nodes), Storage.of(in));
    }

    private static List<Term> networkIn(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(f.p.wal() ? "events from senders" : "events from kafka", f.rb));
        add(terms, "hbase puts", f.hbase);
        add(terms, "hdfs replicas x" + (f.rep - 1), f.oneCopy * (f.rep - 1));
        add(terms, "kafka brokers x" + f.p.kafkaReplication(), f.kafka);
        return terms;
    }

    private static List<Term> networkOut(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        add(terms, "hbase puts", f.hbase);
        add(terms, "hdfs replicas x" + (f.rep - 1), f.oneCopy * (f.rep - 1));
        add(terms, "s3 backup", f.p.s3Backup() ? f.rb * f.p.compressionRatio() : 0);
        add(terms, "kafka followers and spark", f.p.kafkaColocated() ? f.rb * f.p.kafkaReplication() : 0);
        return terms;
    }

    private static List<Term> diskWrite(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        add(terms, "wal x" + f.rep, f.wal * f.rep);
        add(terms, "archive x" + f.rep, f.archive * f.rep);
        add(terms, "hbase x" + f.rep + " x" + number(f.p.hbaseWriteAmplification()), f.hbaseFiles * f.rep);
        add(terms, "kafka x" + f.p.kafkaReplication(), f.kafka);
        return terms;
    }

    private static List<Term> diskRead(PlanInput in) {
        Flows f = new Flows(in);
        List<Term> terms = new ArrayList<>();
        add(terms, "hbase compactions", f.hbaseFiles - f.hbase);
        return terms;
    }

    private static List<Term> cpu(PlanInput in) {
        double r = in.workload().peakEventsPerSecond();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(
                "parse + jobs at " + number(in.calibration().eventsPerSecondPerCore()) + "/s per core ("
                        + in.calibration().source() + ")",
                r / in.calibration().eventsPerSecondPerCore()));
        if (in.pipeline().wal()) {
            terms.add(new Term("receivers", SettingsPlanner.receivers(r)));
        }
        return terms;
    }

    private static List<Term> memory(PlanInput in) {
        PipelineShape p = in.pipeline();
        double r = in.workload().peakEventsPerSecond();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(
                "3 batches of " + number(p.batchIntervalSeconds()) + " s",
                3 * in.workload().peakBytesPerSecond() * p.batchIntervalSeconds()));
        // window state: per experiment, variation and window minute a few hundred bytes, bounded by the key space
        add(
                terms,
                number(p.windowMinutes()) + " min window state",
                Math.min(r * 60, 100_000) * p.windowMinutes() * 200);
        return terms;
    }

    private static void add(List<Term> terms, String name, double amount) {
        if (amount > 0) {
            terms.add(new Term(name, amount));
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The byte flows one plan is made of, at peak (one copy unless the name says otherwise). */
    private static final class Flows {
        final PipelineShape p;
        final int rep;
        final double rb;
        final double wal;
        final double archive;
        final double hbase;
        final double hbaseFiles;
        final double oneCopy;
        final double kafka;

        Flows(PlanInput in) {
            p = in.pipeline();
            rep = p.hdfsReplication();
            rb = in.workload().peakBytesPerSecond();
            wal = p.wal() ? rb : 0;
            archive = p.archive() ? rb * p.compressionRatio() : 0;
            hbase = in.workload().peakEventsPerSecond() * p.hbaseBytesPerEvent();
            hbaseFiles = hbase * p.hbaseWriteAmplification();
            oneCopy = wal + archive + hbaseFiles;
            kafka = p.kafkaColocated() ? rb * p.kafkaReplication() : 0;
        }
    }
}
