package io.sluice.capacity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.capacity.model.Calibration;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.RoleRequirement;
import io.sluice.capacity.model.SparkSettings;
import java.util.OptionalDouble;

/**
 * Renders a plan as JSON: {@code nodes}, {@code binding_resource}, {@code nodes_by_resource}, then each resource's
 * demand, per-node capacity (bytes/s, cores or bytes) and terms, then {@code binding_role}, {@code nodes_by_role} and
 * each role's own requirement ({@code roles}), the calibration, the archive's compression ratio and write
 * amplification as planned, the batch check, the settings and the storage.
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
            r.termsByName().forEach(terms::put);
        }
        root.put("binding_role", plan.bindingRole().key());
        ObjectNode byRole = root.putObject("nodes_by_role");
        ObjectNode roles = root.putObject("roles");
        for (RoleRequirement role : plan.roles()) {
            byRole.put(role.role().key(), role.nodes());
            ObjectNode one = roles.putObject(role.role().key());
            one.put("nodes", role.nodes());
            one.put("colocated", role.colocated());
            one.put("binding_resource", role.binding().resource().key());
            ObjectNode own = one.putObject("nodes_by_resource");
            ObjectNode demand = one.putObject("demand_by_resource");
            for (Requirement r : role.requirements()) {
                own.put(r.resource().key(), r.nodes());
                demand.put(r.resource().key(), r.demand());
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
        Calibration c = plan.input().calibration();
        optional(root, "calibration_hbase_cpu_us_per_event", c.hbaseCpuMicrosPerEvent());
        optional(root, "calibration_kafka_cpu_us_per_event", c.kafkaCpuMicrosPerEvent());
        optional(root, "calibration_archive_bytes_per_event", c.archiveBytesPerEvent());
        optional(root, "calibration_archive_written_bytes_per_event", c.archiveWrittenBytesPerEvent());
        optional(root, "calibration_event_store_bytes_per_event", c.eventStoreBytesPerEvent());
        // the archive as planned: from the flags, the calibration's measured bytes or the preset
        root.put("archive_compression_ratio", plan.input().pipeline().compressionRatio());
        root.put("archive_write_amplification", plan.input().pipeline().archiveWriteAmplification());
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

    /** A measured value, or null when the calibration does not have it. */
    private static void optional(ObjectNode node, String key, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(key, value.getAsDouble());
        } else {
            node.putNull(key);
        }
    }
}
