package io.sluice.capacity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.SparkSettings;
import io.sluice.capacity.model.Term;

/**
 * Renders a plan as JSON: {@code nodes}, {@code binding_resource}, {@code nodes_by_resource}, then each resource's
 * demand, per-node capacity (bytes/s, cores or bytes) and terms, the batch check, the settings and the storage.
 */
public final class PlanJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {}

    public static String render(Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("nodes", plan.nodes());
        root.put("binding_resource", plan.binding().key());
        ObjectNode byResource = root.putObject("nodes_by_resource");
        ObjectNode resources = root.putObject("resources");
        for (Requirement r : plan.requirements()) {
            byResource.put(r.resource().key(), r.nodes());
            ObjectNode one = resources.putObject(r.resource().key());
            one.put("unit", r.resource().unit().name().toLowerCase(java.util.Locale.ROOT));
            one.put("demand", r.demand());
            one.put("per_node", r.perNode());
            one.put("nodes", r.nodes());
            ObjectNode terms = one.putObject("terms");
            for (Term t : r.terms()) {
                terms.put(t.name(), t.amount());
            }
        }
        root.put("simple", plan.input().networkAndDiskOnly());
        root.put("headroom", plan.input().headroom());
        root.put("peak_events_per_second", plan.input().workload().peakEventsPerSecond());
        root.put("peak_bytes_per_second", plan.input().workload().peakBytesPerSecond());
        root.put(
                "calibration_events_per_second_per_core",
                plan.input().calibration().eventsPerSecondPerCore());
        root.put("calibration_source", plan.input().calibration().source());
        SparkSettings s = plan.settings();
        root.put("batch_interval_ok", s.batchIntervalOk());
        if (Double.isFinite(s.estimatedBatchSeconds())) {
            root.put("estimated_batch_seconds", s.estimatedBatchSeconds());
        } else {
            root.putNull("estimated_batch_seconds");
        }
        root.put("executors", s.executors());
        root.put("kafka_partitions", s.kafkaPartitions());
        root.put("receivers", s.receivers());
        ObjectNode settings = root.putObject("settings");
        s.properties().forEach(settings::put);
        ObjectNode storage = root.putObject("storage");
        storage.put("retention_hours", plan.storage().retentionHours());
        storage.put("kafka_retained_bytes", plan.storage().kafkaRetainedBytes());
        storage.put("archive_bytes_per_day", plan.storage().archiveBytesPerDay());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serialises", e);
        }
    }
}
