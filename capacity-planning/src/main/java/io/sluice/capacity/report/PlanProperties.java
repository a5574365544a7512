package io.sluice.capacity.report;

import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.SparkSettings;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a plan's settings as a properties file: {@code spark.*} keys for {@code spark-submit --conf} (the Sluice
 * driver also passes them on from its properties file) and {@code sluice.*} keys the driver defines; the plan's
 * facts that are not properties (nodes, Kafka partitions, receivers) are comments.
 */
public final class PlanProperties {
    private PlanProperties() {}

    public static String render(Plan plan) {
        SparkSettings s = plan.settings();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "# sluice plan: %d nodes, binding resource %s, %s events/s x %s B at peak%n",
                plan.nodes(),
                plan.binding().key(),
                Quantities.count(plan.input().workload().peakEventsPerSecond()),
                Quantities.number(plan.input().workload().eventBytes())));
        out.append(String.format(
                Locale.ROOT,
                "# kafka topic: %d partitions, retention.ms=%d; receivers for push" + " ingestion: %d%n",
                s.kafkaPartitions(),
                Math.round(plan.storage().retentionHours() * 3_600_000),
                s.receivers()));
        out.append(String.format(
                Locale.ROOT,
                "# roles, each alone: %s; binding role %s%n",
                plan.roles().stream()
                        .map(r -> r.role().key() + " " + r.nodes() + (r.colocated() ? "" : " (own nodes)"))
                        .collect(Collectors.joining(", ")),
                plan.bindingRole().key()));
        if (!s.batchIntervalOk()) {
            out.append(
                    "# WARNING: a batch at peak does not fit the batch interval on these cores (see --format table)\n");
        }
        for (Map.Entry<String, String> e : s.properties().entrySet()) {
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return out.toString();
    }
}
