package io.sluice.capacity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.SparkSettings;
import java.util.Map;

/** Renders a plan as a readable table, as JSON, or as properties for spark-submit. */
final class PlanFormats {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanFormats() {}

    static String table(Plan plan) {
        StringBuilder out = new StringBuilder();
        var w = plan.input().workload();
        out.append(String.format("Load: %,.0f events/s x %,.0f B (peak %,.0f events/s = %s); node: %d cores, %s Gbit/s NIC,"
                        + " %s MB/s disk, %s GB; headroom %.0f %%%n%n",
                w.eventsPerSecond(), w.eventBytes(), w.peakEventsPerSecond(), mb(w.peakBytesPerSecond()),
                plan.input().node().cores(), num(plan.input().node().nicGbps()), num(plan.input().node().diskMBps()),
                num(plan.input().node().memoryGb()), plan.input().headroom() * 100));
        out.append(String.format("%-12s %16s %16s %6s  %s%n", "resource", "cluster demand", "per node", "nodes", "made of"));
        for (Requirement r : plan.requirements()) {
            out.append(String.format("%-12s %16s %16s %6d  %s%s%n", r.resource().label(), amount(r, r.demand()),
                    amount(r, r.perNode()), r.nodes(), r.breakdown(), r.resource() == plan.binding() ? "   <- binds" : ""));
        }
        Requirement binding = plan.requirement(plan.binding());
        out.append(String.format("%nNodes: %d. The binding resource is %s: the cluster needs %s of it and a node offers %s"
                        + " after headroom.%n", plan.nodes(), plan.binding().label(), amount(binding, binding.demand()),
                amount(binding, binding.perNode())));
        SparkSettings s = plan.settings();
        out.append(String.format("Batch check: a %s s batch takes about %.2f s on %d cores: %s.%n",
                num(s.batchIntervalSeconds()), s.estimatedBatchSeconds(), s.coresMax(),
                s.batchIntervalOk() ? "fits the interval with headroom" : "TOO SLOW: add cores or lengthen the interval"));
        out.append(String.format("%nSettings (--format properties for spark-submit):%n"));
        s.properties().forEach((k, v) -> out.append("  ").append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    static String json(Plan plan) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("nodes", plan.nodes());
        root.put("binding_resource", plan.binding().key());
        ObjectNode byResource = root.putObject("nodes_by_resource");
        ObjectNode demand = root.putObject("demand");
        ObjectNode perNode = root.putObject("per_node");
        for (Requirement r : plan.requirements()) {
            byResource.put(r.resource().key(), r.nodes());
            demand.put(r.resource().key(), r.demand());
            perNode.put(r.resource().key(), r.perNode());
        }
        root.put("peak_events_per_second", plan.input().workload().peakEventsPerSecond());
        root.put("calibration_events_per_second_per_core", plan.input().calibration().eventsPerSecondPerCore());
        root.put("batch_interval_ok", plan.settings().batchIntervalOk());
        root.put("estimated_batch_seconds", plan.settings().estimatedBatchSeconds());
        ObjectNode settings = root.putObject("settings");
        plan.settings().properties().forEach(settings::put);
        return JSON.writeValueAsString(root) + "\n";
    }

    static String properties(Plan plan) {
        StringBuilder out = new StringBuilder("# sluice plan: " + plan.nodes() + " nodes, binding resource "
                + plan.binding().key() + "\n");
        for (Map.Entry<String, String> e : plan.settings().properties().entrySet()) {
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private static String amount(Requirement r, double v) {
        return switch (r.resource()) {
            case CPU -> String.format("%,.1f cores", v);
            case MEMORY -> String.format("%,.1f GB", v / 1e9);
            default -> mb(v);
        };
    }

    private static String mb(double bytesPerSecond) {
        return String.format("%,.1f MB/s", bytesPerSecond / 1e6);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
