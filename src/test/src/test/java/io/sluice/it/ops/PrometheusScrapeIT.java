package io.sluice.it.ops;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, {@code .ci/tools}) scrapes a real driver on the shared servers
 * every second, with {@code ops/prometheus/sluice-alerts.yml} loaded: Prometheus's query API answers with the
 * driver's data (it leads, once; every record sent is counted in; the dead letters by reason are the generator's), the
 * rules are loaded and evaluate without error, and the driver exposes every metric the dashboard and the rules ask
 * for ({@link DriverMetricNames}).
 */
@RealServers
class PrometheusScrapeIT {
    private static final long EVENTS = 3_000;
    private static final Pattern STATUS_PORT = Pattern.compile("status endpoints on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChildProcess driver;
    private static Process prometheus;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void stopProcesses() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (driver != null) {
            driver.kill(); // nothing of the run is checked after the test: no graceful stop to wait for
        }
    }

    @Test
    @Timeout(300)
    void prometheusScrapesTheLeadingDriverAndEvaluatesTheAlertRules() throws Exception {
        Path binary = OpsTools.require("prometheus");
        PipelineScenario scenario = Scenarios.onSharedServers("prom-scrape", 2, true);
        EventGenerator generator = new EventGenerator(23, 0.05, 0.02);
        scenario.produce(generator, 0, EVENTS, 0);
        GroundTruth truth = scenario.groundTruth(generator, EVENTS);
        assertThat(truth.resends()).as("every record sent is read once").isZero();
        assertThat(truth.deadLettersByReason()).isNotEmpty();

        Path work = scenario.workDir();
        driver = DriverProcess.start(scenario.writeConfig(work), work.resolve("driver.log"));
        String instance = "127.0.0.1:" + statusPort(driver);
        int port = Ports.free();
        prometheus = startPrometheus(binary, work.resolve("prometheus"), port, instance);
        String api = "http://127.0.0.1:" + port;
        eventually(
                Duration.ofSeconds(30),
                () -> {
                    assertThat(prometheus.isAlive())
                            .as("prometheus alive (log %s)", work.resolve("prometheus/prometheus.log"))
                            .isTrue();
                    return get(api + "/-/ready").statusCode() == 200;
                },
                "Prometheus ready on port " + port);

        String self = "{instance=\"" + instance + "\"}";
        eventually(
                Duration.ofSeconds(90),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    return values(api, "sluice_leader" + self, "instance").equals(Map.of(instance, 1.0));
                },
                "Prometheus sees sluice_leader 1 for " + instance);
        assertThat(values(api, "sluice_leader_takeovers_total" + self, "instance"))
                .as("the driver became leader once")
                .isEqualTo(Map.of(instance, 1.0));
        assertThat(values(api, "sluice_epoch" + self, "instance").get(instance)).isGreaterThanOrEqualTo(1.0);

        eventually(
                Duration.ofSeconds(90),
                () -> {
                    assertThat(values(api, "sum(sluice_records_in_total)", "none"))
                            .as("records counted in, scraped by Prometheus")
                            .isEqualTo(Map.of("", (double) truth.sent()));
                    return true;
                },
                "sum(sluice_records_in_total) reaches the " + truth.sent() + " records sent");
        Map<String, Double> expected = new TreeMap<>();
        truth.deadLettersByReason().forEach((reason, n) -> expected.put(reason, n.doubleValue()));
        eventually(
                Duration.ofSeconds(30),
                () -> {
                    assertThat(values(api, "sum by (reason) (sluice_dead_letters_total) > 0", "reason"))
                            .as("dead letters by reason, scraped by Prometheus, against the generator's")
                            .isEqualTo(expected);
                    return true;
                },
                "sluice_dead_letters_total by reason equals the generator's dead letters");

        Set<String> alerts = alertNames();
        eventually(
                Duration.ofSeconds(45),
                () -> {
                    Map<String, String> health = ruleHealth(api);
                    assertThat(health.keySet()).as("alerting rules loaded").isEqualTo(alerts);
                    assertThat(new HashSet<>(health.values()))
                            .as("rule health %s", health)
                            .containsOnly("ok");
                    return true;
                },
                "Prometheus evaluates every alerting rule of sluice-alerts.yml with health ok");

        // a job's counters appear on /metrics once a batch reported them: poll, as for the values above
        Set<String> expectedNames = new HashSet<>(DriverMetricNames.ALL);
        expectedNames.removeAll(DriverMetricNames.NOT_IN_EVERY_RUN);
        eventually(
                Duration.ofSeconds(30),
                () -> {
                    Set<String> scraped = new java.util.TreeSet<>();
                    JSON.readTree(get(api + "/api/v1/label/__name__/values").body())
                            .path("data")
                            .forEach(n -> scraped.add(n.asText()));
                    assertThat(scraped)
                            .as("metric names Prometheus scraped from the driver")
                            .containsAll(expectedNames);
                    return true;
                },
                "Prometheus scraped every metric the dashboard and the rules use");
    }

    private Process startPrometheus(Path binary, Path dir, int port, String target) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  scrape_timeout: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + OpsTools.alertRules(),
                        "scrape_configs:",
                        "  - job_name: sluice-it",
                        "    static_configs:",
                        "      - targets: ['" + target + "']",
                        ""));
        return new ProcessBuilder(List.of(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /** The driver's status port, from its log line "status endpoints on port N". */
    private static int statusPort(ChildProcess driver) {
        int[] port = {-1};
        eventually(
                Duration.ofSeconds(60),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    Matcher m = STATUS_PORT.matcher(Files.readString(driver.log()));
                    if (m.find()) {
                        port[0] = Integer.parseInt(m.group(1));
                    }
                    return port[0] > 0;
                },
                "the driver's status port in " + driver.log());
        return port[0];
    }

    /** An instant query's answer: the value of each series, by its label {@code key} ("" when it has none). */
    private Map<String, Double> values(String api, String promql, String key) throws Exception {
        JsonNode answer =
                JSON.readTree(get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                        .body());
        assertThat(answer.path("status").asText())
                .as("query %s: %s", promql, answer)
                .isEqualTo("success");
        Map<String, Double> values = new TreeMap<>();
        answer.path("data")
                .path("result")
                .forEach(series -> values.put(
                        series.path("metric").path(key).asText(""),
                        Double.parseDouble(series.path("value").get(1).asText())));
        return values;
    }

    /** Every alerting rule Prometheus loaded, with its health ("ok", "unknown" before its first evaluation, "err"). */
    private Map<String, String> ruleHealth(String api) throws Exception {
        Map<String, String> health = new TreeMap<>();
        for (JsonNode group : JSON.readTree(
                        get(api + "/api/v1/rules?type=alert").body())
                .path("data")
                .path("groups")) {
            group.path("rules")
                    .forEach(rule -> health.put(
                            rule.path("name").asText(),
                            rule.path("health").asText()
                                    + (rule.path("lastError").asText("").isEmpty()
                                            ? ""
                                            : " " + rule.path("lastError").asText())));
        }
        return health;
    }

    private static Set<String> alertNames() throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*- alert: (\\S+)").matcher(Files.readString(OpsTools.alertRules()));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
