package io.sluice.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code ops/} without a server: {@code promtool} checks the alert rules and the example Prometheus
 * configuration and runs the rules' unit tests (every alert shown firing and not firing); the Grafana dashboard parses
 * and its queries, like the rules', ask only for metrics a driver exposes ({@link DriverMetricNames}). Needs {@code
 * promtool} ({@code .ci/tools}).
 */
class AlertRulesIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void promtoolAcceptsTheRulesAndTheExampleConfig() throws Exception {
        Path promtool = OpsTools.require("promtool");
        Path dir = OpsTools.alertRules().getParent();
        OpsTools.Result rules =
                OpsTools.run(dir, 60, List.of(promtool.toString(), "check", "rules", "sluice-alerts.yml"));
        System.out.println("promtool check rules sluice-alerts.yml (exit " + rules.exit() + "):\n" + rules.output());
        assertThat(rules.exit()).as("promtool check rules:\n%s", rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: " + alertNames().size() + " rules found");

        OpsTools.Result config =
                OpsTools.run(dir, 60, List.of(promtool.toString(), "check", "config", "prometheus.yml"));
        System.out.println("promtool check config prometheus.yml (exit " + config.exit() + "):\n" + config.output());
        assertThat(config.exit())
                .as("promtool check config:\n%s", config.output())
                .isZero();
    }

    @Test
    void theRulesUnitTestsPassAndShowEveryAlertFiringAndNotFiring() throws Exception {
        Path promtool = OpsTools.require("promtool");
        Path dir = OpsTools.alertRules().getParent();
        OpsTools.Result tests =
                OpsTools.run(dir, 120, List.of(promtool.toString(), "test", "rules", "sluice-alerts.test.yml"));
        System.out.println(
                "promtool test rules sluice-alerts.test.yml (exit " + tests.exit() + "):\n" + tests.output());
        assertThat(tests.exit()).as("promtool test rules:\n%s", tests.output()).isZero();

        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test :
                YAML.readTree(dir.resolve("sluice-alerts.test.yml").toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : firing)
                        .add(check.path("alertname").asText());
            }
        }
        assertThat(firing).as("alerts the unit tests show firing").isEqualTo(alertNames());
        assertThat(quiet).as("alerts the unit tests show not firing").isEqualTo(alertNames());
    }

    @Test
    void theRulesAskOnlyForMetricsTheDriverExposes() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : YAML.readTree(OpsTools.alertRules().toFile()).path("groups")) {
            group.path("rules").forEach(rule -> exprs.add(rule.path("expr").asText()));
        }
        assertThat(exprs).hasSize(alertNames().size());
        for (String expr : exprs) {
            assertThat(OpsTools.metricNames(expr))
                    .as("metrics of %s", expr)
                    .isNotEmpty()
                    .isSubsetOf(DriverMetricNames.ALL);
        }
    }

    @Test
    void theDashboardParsesAndAsksOnlyForMetricsTheDriverExposes() throws Exception {
        JsonNode dashboard = JSON.readTree(OpsTools.dashboard().toFile());
        assertThat(dashboard.path("__inputs").findValuesAsText("name")).contains("DS_PROMETHEUS");
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // a collapsed row holds its panels
        });
        Set<String> titles = new TreeSet<>();
        Set<String> asked = new TreeSet<>();
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText())
                    .as("datasource of %s", panel.path("title"))
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets"))
                    .as("queries of %s", panel.path("title"))
                    .isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = OpsTools.metricNames(target.path("expr").asText());
                assertThat(names)
                        .as("metrics of %s in %s", target.path("expr").asText(), panel.path("title"))
                        .isNotEmpty()
                        .isSubsetOf(DriverMetricNames.ALL);
                asked.addAll(names);
            }
        }
        assertThat(titles)
                .contains(
                        "Throughput: records in and out",
                        "Per-job lag: records",
                        "Per-job lag: batch time",
                        "Batch delay",
                        "Dead letters by reason",
                        "Leader per instance",
                        "Epoch per instance",
                        "Takeovers",
                        "S3 replica lag");
        assertThat(asked)
                .contains(
                        "sluice_records_in_total",
                        "sluice_records_out_total",
                        "sluice_job_lag_ms",
                        "sluice_job_lag_records",
                        "sluice_processing_delay_ms",
                        "sluice_scheduling_delay_ms",
                        "sluice_dead_letters_total",
                        "sluice_leader",
                        "sluice_epoch",
                        "sluice_leader_takeovers_total",
                        "sluice_job_replica_lag_files");
    }

    @Test
    void metricNamesAreTheSelectorsNotTheLabels() {
        assertThat(OpsTools.metricNames(
                        "max by (job, sluice_job) (sluice_job_lag_records{job=~\"$job\", sluice_job=\"x\"}) > 0"
                                + " and on (job) sluice_leader == 1"))
                .containsExactly("sluice_job_lag_records", "sluice_leader");
    }

    @Test
    void aMissingToolFailsTheTestSayingHowToInstallIt() {
        assertThatThrownBy(() -> OpsTools.require("promtool-that-is-not-installed"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("run .ci/tools");
    }

    private static Set<String> alertNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : YAML.readTree(OpsTools.alertRules().toFile()).path("groups")) {
            group.path("rules").forEach(rule -> names.add(rule.path("alert").asText()));
        }
        return names;
    }
}
