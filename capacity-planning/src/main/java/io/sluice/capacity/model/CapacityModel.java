package io.sluice.capacity.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The throughput model: pure functions from a {@link PlanInput} to a {@link Plan}. All rates are at peak.
 *
 * <p>Per event of B bytes at peak rate R, the cluster (Spark executors co-located with HDFS data nodes and HBase
 * region servers) moves:
 *
 * <ul>
 *   <li>network in: R·B from Kafka; plus (r-1) copies of every HDFS write arriving from the replication pipeline;
 *       plus, with Kafka co-located, R·B·k (producers and follower fetches);
 *   <li>network out: the replication pipeline's (r-1) copies leaving the writer; the S3 backup R·B·c; with Kafka
 *       co-located, R·B·(k-1) to followers and R·B to Spark;
 *   <li>disk writes: WAL R·B·r; archive R·B·c·r; HBase R·H·r·a (H bytes per event, a compaction amplification);
 *       Kafka R·B·k when co-located;
 *   <li>cpu: R / (events per second per core), on all cores but one per node;
 *   <li>memory: three batches of input held at once (received, being processed, being written), plus window state.
 * </ul>
 *
 * Nodes per resource = ceil(demand / (per-node capacity x (1 - headroom))); the plan takes the largest.
 */
public final class CapacityModel {
    /** Per-partition throughput Kafka and a Spark task sustain comfortably (bytes/s). */
    static final double PARTITION_BYTES_PER_SECOND = 5e6;
    /** Events per second one HTTP receiver sustains (it only stores blocks). */
    static final double RECEIVER_EVENTS_PER_SECOND = 50_000;
    /** Fixed cost of a batch: scheduling, the ZooKeeper commit, file renames (seconds). */
    static final double BATCH_OVERHEAD_SECONDS = 0.5;

    private CapacityModel() {}

    public static Plan plan(PlanInput in) {
        List<Requirement> requirements = new ArrayList<>();
        double headroom = 1 - in.headroom();
        NodeType node = in.node();
        double r = in.workload().peakEventsPerSecond();
        double b = in.workload().eventBytes();
        double rb = r * b;
        PipelineShape p = in.pipeline();
        int rep = p.hdfsReplication();

        double walWrite = p.wal() ? rb : 0;
        double archiveWrite = p.archive() ? rb * p.compressionRatio() : 0;
        double hbaseWrite = r * p.hbaseBytesPerEvent();
        double hdfsWrites = walWrite + archiveWrite + hbaseWrite; // one copy; HDFS makes rep
        double kafka = p.kafkaColocated() ? rb * p.kafkaReplication() : 0;
        double s3 = p.s3Backup() ? rb * p.compressionRatio() : 0;

        double netIn = rb + hdfsWrites * (rep - 1) + kafka;
        double netOut = hdfsWrites * (rep - 1) + s3 + (p.kafkaColocated() ? rb * (p.kafkaReplication() - 1) + rb : 0);
        double disk = walWrite * rep + archiveWrite * rep + hbaseWrite * rep * p.hbaseWriteAmplification() + kafka;
        requirements.add(requirement(Resource.NETWORK_IN, netIn, node.nicBytesPerSecond() * headroom,
                "kafka " + mb(rb) + (hdfsWrites > 0 && rep > 1 ? " + hdfs replication " + mb(hdfsWrites * (rep - 1)) : "")
                        + (kafka > 0 ? " + kafka brokers " + mb(kafka) : "")));
        requirements.add(requirement(Resource.NETWORK_OUT, netOut, node.nicBytesPerSecond() * headroom,
                (hdfsWrites > 0 && rep > 1 ? "hdfs replication " + mb(hdfsWrites * (rep - 1)) : "none")
                        + (s3 > 0 ? " + s3 backup " + mb(s3) : "")
                        + (p.kafkaColocated() ? " + kafka " + mb(rb * p.kafkaReplication()) : "")));
        String diskTerms = (p.wal() ? "wal " + mb(walWrite) + " x" + rep + " + " : "")
                + (p.archive() ? "archive " + mb(archiveWrite) + " x" + rep : "")
                + (hbaseWrite > 0 ? " + hbase " + mb(hbaseWrite) + " x" + rep + " x" + fmt(p.hbaseWriteAmplification()) : "")
                + (kafka > 0 ? " + kafka " + mb(kafka) : "");
        requirements.add(requirement(Resource.DISK_WRITE, disk, node.diskBytesPerSecond() * headroom, diskTerms));
        if (!in.networkAndDiskOnly()) {
            double cores = r / in.calibration().eventsPerSecondPerCore();
            requirements.add(requirement(Resource.CPU, cores, Math.max(1, node.cores() - 1) * headroom,
                    fmt(r) + " events/s / " + fmt(in.calibration().eventsPerSecondPerCore()) + " per core ("
                            + in.calibration().source() + ")"));
            double memory = 3 * rb * p.batchIntervalSeconds() + windowStateBytes(p, r);
            double usable = Math.max(0.5, node.memoryGb() - 2) * 1e9 * 0.6;
            requirements.add(requirement(Resource.MEMORY, memory, usable * headroom,
                    "3 batches of " + fmt(p.batchIntervalSeconds()) + " s input + window state"));
        }
        Requirement binding = requirements.get(0);
        for (Requirement req : requirements) {
            if (req.nodes() > binding.nodes() || (req.nodes() == binding.nodes()
                    && req.demand() / req.perNode() > binding.demand() / binding.perNode())) {
                binding = req;
            }
        }
        int nodes = binding.nodes();
        return new Plan(in, List.copyOf(requirements), binding.resource(), nodes, settings(in, nodes, r, rb));
    }

    /** Aggregated window state: per experiment, variation and window minute, a few hundred bytes; bounded. */
    private static double windowStateBytes(PipelineShape p, double r) {
        double keysPerMinute = Math.min(r * 60, 100_000);
        return keysPerMinute * p.windowMinutes() * 200;
    }

    private static SparkSettings settings(PlanInput in, int nodes, double r, double rb) {
        int executorCores = Math.max(1, in.node().cores() - 1);
        int coresMax = nodes * executorCores;
        int executorMemoryGb = (int) Math.max(1, Math.floor((in.node().memoryGb() - 2) * 0.75));
        int byThroughput = (int) Math.ceil(rb / PARTITION_BYTES_PER_SECOND);
        int partitions = roundUpToMultiple(Math.max(coresMax, byThroughput), executorCores);
        long maxRate = (long) Math.ceil(r / partitions * 1.5);
        int receivers = Math.max(1, (int) Math.ceil(r / RECEIVER_EVENTS_PER_SECOND));
        long receiverMaxRate = (long) Math.ceil(r / receivers * 1.5);
        double interval = in.pipeline().batchIntervalSeconds();
        double estimated = BATCH_OVERHEAD_SECONDS + r * interval / (coresMax * in.calibration().eventsPerSecondPerCore());
        boolean ok = estimated <= interval * (1 - in.headroom());
        return new SparkSettings(nodes, executorCores, coresMax, executorMemoryGb, partitions, maxRate, receivers,
                receiverMaxRate, interval, estimated, ok);
    }

    private static Requirement requirement(Resource resource, double demand, double perNode, String breakdown) {
        int nodes = demand <= 0 ? 0 : (int) Math.ceil(demand / perNode - 1e-9);
        return new Requirement(resource, demand, perNode, nodes, breakdown);
    }

    private static int roundUpToMultiple(int value, int multiple) {
        return ((value + multiple - 1) / multiple) * multiple;
    }

    static String mb(double bytesPerSecond) {
        return fmt(bytesPerSecond / 1e6) + " MB/s";
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%,.2f", v);
    }
}
