package io.sluice.capacity.report;

import static io.sluice.capacity.report.Quantities.amount;
import static io.sluice.capacity.report.Quantities.count;
import static io.sluice.capacity.report.Quantities.megabytesPerSecond;
import static io.sluice.capacity.report.Quantities.number;

import io.sluice.capacity.model.Calibration;
import io.sluice.capacity.model.NodeType;
import io.sluice.capacity.model.PipelineShape;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.RoleRequirement;
import io.sluice.capacity.model.SparkSettings;
import io.sluice.capacity.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a plan as a readable table that says which resource binds and why, then what each role (Spark executors,
 * region servers, Kafka brokers) needs on its own and which of them binds (the command's default output).
 */
public final class PlanTable {
    private PlanTable() {}

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        Workload w = plan.input().workload();
        NodeType n = plan.input().node();
        line(
                out,
                "Load: %s events/s x %s B, peak x%s = %s events/s = %s",
                count(w.eventsPerSecond()),
                number(w.eventBytes()),
                number(w.peakFactor()),
                count(w.peakEventsPerSecond()),
                megabytesPerSecond(w.peakBytesPerSecond()));
        line(
                out,
                "Node: %d cores, %s Gbit/s NIC (%s each way), %s MB/s disk, %s GB memory; headroom %s %%",
                n.cores(),
                number(n.nicGbps()),
                megabytesPerSecond(n.nicBytesPerSecond()),
                number(n.diskMBps()),
                number(n.memoryGb()),
                number(Math.round(plan.input().headroom() * 1000) / 10.0));
        line(
                out,
                "Pipeline: %s%s",
                pipeline(plan.input().pipeline()),
                plan.input().networkAndDiskOnly() ? "; network and disk only (--simple)" : "");
        if (!plan.input().networkAndDiskOnly()) {
            line(out, "Calibration: %s", calibration(plan.input().calibration()));
        }
        out.append('\n');
        line(out, "%-12s %16s %16s %6s  %s", "resource", "cluster demand", "per node", "nodes", "made of");
        for (Requirement r : plan.requirements()) {
            String terms = r.terms().isEmpty()
                    ? "-"
                    : r.termsByName().entrySet().stream()
                            .map(t -> t.getKey() + " " + amount(r.resource(), t.getValue()))
                            .collect(Collectors.joining(" + "));
            line(
                    out,
                    "%-12s %16s %16s %6d  %s%s",
                    r.resource().label(),
                    amount(r.resource(), r.demand()),
                    amount(r.resource(), r.perNode()),
                    r.nodes(),
                    terms,
                    r.resource() == plan.binding() ? "   <- binds" : "");
        }
        Requirement b = plan.requirement(plan.binding());
        out.append('\n');
        line(
                out,
                "Nodes: %d. The binding resource is %s: the cluster needs %s of it and a node offers %s after %s %%"
                        + " headroom: %.2f nodes' worth, rounded up to %d.",
                plan.nodes(),
                b.resource().label(),
                amount(b.resource(), b.demand()),
                amount(b.resource(), b.perNode()),
                number(Math.round(plan.input().headroom() * 1000) / 10.0),
                b.load(),
                b.nodes());
        roles(out, plan);
        SparkSettings s = plan.settings();
        line(
                out,
                "Batch check: a %s s batch at peak takes about %s on %d executor cores at %s events/s per core: %s.",
                number(s.batchIntervalSeconds()),
                Double.isInfinite(s.estimatedBatchSeconds())
                        ? "forever (receivers" + " take every core)"
                        : String.format(Locale.ROOT, "%.1f s", s.estimatedBatchSeconds()),
                s.coresMax(),
                count(plan.input().calibration().eventsPerSecondPerCore()),
                s.batchIntervalOk()
                        ? "fits the interval with the headroom to spare"
                        : "TOO SLOW: add cores, lengthen the interval or measure the real rate per core");
        line(
                out,
                "Storage: Kafka holds %s over %s h of retention (all replicas); the HDFS archive grows %s a day"
                        + " (all replicas).",
                Quantities.bytes(plan.storage().kafkaRetainedBytes()),
                number(plan.storage().retentionHours()),
                Quantities.bytes(plan.storage().archiveBytesPerDay()));
        out.append('\n');
        line(out, "Settings (--format properties writes them for spark-submit or sluice.properties):");
        s.properties()
                .forEach((k, v) ->
                        out.append("  ").append(k).append('=').append(v).append('\n'));
        line(
                out,
                "  Kafka topic: %d partitions (a multiple of spark.cores.max), retention.ms=%d",
                s.kafkaPartitions(),
                Math.round(plan.storage().retentionHours() * 3_600_000));
        line(out, "  Receivers for push ingestion: %d", s.receivers());
        return out.toString();
    }

    /** Each role's own requirement, the role that binds, and where the Kafka brokers run. */
    private static void roles(StringBuilder out, Plan plan) {
        Requirement b = plan.requirement(plan.binding());
        line(
                out,
                "Binding role: %s, with %s of the %s of %s.",
                plan.bindingRole().label(),
                amount(b.resource(), b.demandOf(plan.bindingRole())),
                amount(b.resource(), b.demand()),
                b.resource().label());
        out.append('\n');
        line(
                out,
                "%-16s %6s  %-11s %16s %16s  %s",
                "role",
                "nodes",
                "binds on",
                "its demand",
                "per node",
                "where (each role alone on nodes of this type)");
        for (RoleRequirement role : plan.roles()) {
            Requirement r = role.binding();
            line(
                    out,
                    "%-16s %6d  %-11s %16s %16s  %s%s",
                    role.role().label(),
                    role.nodes(),
                    role.nodes() == 0 ? "-" : r.resource().label(),
                    role.nodes() == 0 ? "-" : amount(r.resource(), r.demand()),
                    role.nodes() == 0 ? "-" : amount(r.resource(), r.perNode()),
                    role.colocated() ? "on the planned nodes" : "own nodes, not in the total",
                    role.role() == plan.bindingRole() ? "   <- binding role" : "");
        }
        out.append('\n');
    }

    private static String calibration(Calibration c) {
        List<String> parts = new ArrayList<>();
        parts.add("spark " + count(c.eventsPerSecondPerCore()) + " events/s per core (" + c.source() + ")");
        parts.add(
                c.hbaseCpuMicrosPerEvent().isPresent()
                        ? "region servers " + number(c.hbaseCpuMicrosPerEvent().getAsDouble()) + " us/event"
                        : "region server CPU not measured, not counted");
        parts.add(
                c.kafkaCpuMicrosPerEvent().isPresent()
                        ? "kafka brokers " + number(c.kafkaCpuMicrosPerEvent().getAsDouble()) + " us/event per replica"
                        : "broker CPU not measured, not counted");
        c.archiveBytesPerEvent().ifPresent(v -> parts.add("archive " + number(v) + " B/event"));
        c.archiveWrittenBytesPerEvent().ifPresent(v -> parts.add("archive written " + number(v) + " B/event"));
        c.eventStoreBytesPerEvent().ifPresent(v -> parts.add("event store " + number(v) + " B/event"));
        return String.join("; ", parts);
    }

    private static String pipeline(PipelineShape p) {
        return String.format(
                Locale.ROOT,
                "WAL %s, HDFS replication %d, archive %s, S3 backup %s, %s, Kafka %s (replication %d), %s s"
                        + " batches, %s min window",
                p.wal() ? "on" : "off",
                p.hdfsReplication(),
                p.archive()
                        ? "at compression " + number(p.compressionRatio()) + ", written x"
                                + number(p.archiveWriteAmplification())
                        : "off",
                p.s3Backup() ? "on" : "off",
                p.hbaseBytesPerEvent() > 0
                        ? "HBase " + number(p.hbaseBytesPerEvent()) + " B/event x" + number(p.hbaseWriteAmplification())
                                + " compaction"
                        : "no HBase",
                p.kafkaColocated() ? "on these nodes" : "on its own brokers",
                p.kafkaReplication(),
                number(p.batchIntervalSeconds()),
                number(p.windowMinutes()));
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
