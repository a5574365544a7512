package io.sluice.driver.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.http.DriverStatus;
import io.sluice.driver.http.StatusServer;
import io.sluice.driver.runtime.PipelineMetrics;
import java.io.FileReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Marathon apps and Mesos files users deploy from: they parse, carry the fields Marathon needs, and agree with
 * the properties the driver runs with and with the endpoints it serves.
 */
class DeploymentFilesTest {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode app(String name) throws Exception {
        return JSON.readTree(HOME.resolve("marathon").resolve(name).toFile());
    }

    private static Properties properties(String file) throws Exception {
        Properties p = new Properties();
        try (FileReader in = new FileReader(HOME.resolve("mesos").resolve(file).toFile())) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theDriverAppRunsTwoSupervisedInstancesThatAgreeWithTheProperties() throws Exception {
        JsonNode app = app("sluice-driver.json");
        SluiceSettings settings = SettingsLoader.load(HOME.resolve("mesos/sluice-mesos.properties"), List.of());

        assertThat(app.path("instances").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(app.path("constraints").toString()).contains("[\"hostname\",\"UNIQUE\"]");
        assertThat(app.path("portDefinitions").get(0).path("name").asText()).isEqualTo("status");
        assertThat(app.path("cmd").asText())
                .contains("submit-client.sh")
                .contains("--config sluice-mesos.properties")
                .contains("--set sluice.http.port=$PORT0");

        JsonNode health = app.path("healthChecks").get(0);
        assertThat(health.path("path").asText()).isEqualTo("/health");
        assertThat(health.path("portIndex").asInt()).isZero();
        long unhealthyAfterMs = health.path("maxConsecutiveFailures").asLong()
                * health.path("intervalSeconds").asLong()
                * 1000;
        assertThat(unhealthyAfterMs)
                .as("Marathon kills a driver cut off from ZooKeeper only after the driver's own reaction")
                .isGreaterThan(settings.zookeeperSessionTimeoutMs() + settings.suspendedGraceMs());

        JsonNode readiness = app.path("readinessChecks").get(0);
        assertThat(readiness.path("path").asText()).isEqualTo("/instance-ready");
        assertThat(readiness.path("portName").asText()).isEqualTo("status");
        assertThat(app.path("taskKillGracePeriodSeconds").asLong() * 1000)
                .as("Marathon waits for the graceful stop before SIGKILL")
                .isGreaterThan(settings.gracefulStopTimeoutMs());
        assertThat(app.path("upgradeStrategy").path("minimumHealthCapacity").asDouble())
                .as("an upgrade never stops every instance at once")
                .isGreaterThan(0);
        for (String field : List.of("backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds", "killSelection")) {
            assertThat(app.has(field)).as(field).isTrue();
        }
        assertThat(app.path("unreachableStrategy").path("inactiveAfterSeconds").asInt())
                .isPositive();
        List<String> fetched = new ArrayList<>();
        app.path("fetch").forEach(f -> fetched.add(f.path("uri").asText()));
        assertThat(fetched)
                .anyMatch(
                        u -> u.endsWith("/" + app.path("env").path("SLUICE_JAR").asText()))
                .anyMatch(u -> u.endsWith("/sluice-mesos.properties"))
                .anyMatch(u -> u.endsWith("/submit-client.sh"));
        assertThat(app.path("env").path("MESOS_MASTER").asText()).startsWith("mesos://zk://");
    }

    @Test
    void marathonsReadinessPathIsServedAndReadyOnAStandby() throws Exception {
        String path = app("sluice-driver.json")
                .path("readinessChecks")
                .get(0)
                .path("path")
                .asText();
        try (StatusServer server = StatusServer.start(0, new Standby())) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theMesosPropertiesCarryWhatMattersOnMesos() throws Exception {
        Properties p = properties("sluice-mesos.properties");
        assertThat(p.getProperty("spark.mesos.coarse")).isEqualTo("true");
        assertThat(Long.parseLong(p.getProperty("spark.mesos.driver.failoverTimeout")))
                .as("SPARK-21456: 0 kills the executors on a driver blip")
                .isPositive();
        assertThat(Integer.parseInt(p.getProperty("spark.cores.max"))).isPositive();
        assertThat(p.getProperty("spark.executor.uri", p.getProperty("spark.mesos.executor.docker.image")))
                .isNotBlank();
        String jdk17 = Files.readString(HOME.resolve("conf/jdk17-options")).trim();
        assertThat(p.getProperty("spark.executor.extraJavaOptions")).isEqualTo(jdk17);
        assertThat(p.getProperty("spark.driver.extraJavaOptions")).isEqualTo(jdk17);
    }

    @Test
    void theDispatcherRecoversThroughZooKeeperAndTheScriptsSubmitTheDriver() throws Exception {
        JsonNode dispatcher = app("mesos-dispatcher.json");
        assertThat(dispatcher.path("cmd").asText())
                .contains("org.apache.spark.deploy.mesos.MesosClusterDispatcher")
                .contains("--properties-file dispatcher.properties");
        Properties recovery = properties("dispatcher.properties");
        assertThat(recovery.getProperty("spark.deploy.recoveryMode")).isEqualTo("ZOOKEEPER");
        assertThat(recovery.getProperty("spark.deploy.zookeeper.url")).isNotBlank();
        assertThat(recovery.getProperty("spark.deploy.zookeeper.dir")).isNotBlank();

        String client = Files.readString(HOME.resolve("mesos/submit-client.sh"));
        String cluster = Files.readString(HOME.resolve("mesos/submit-cluster.sh"));
        for (String script : List.of(client, cluster)) {
            assertThat(script)
                    .startsWith("#!/usr/bin/env bash")
                    .contains("set -euo pipefail")
                    .contains("--class io.sluice.driver.SluiceDriver")
                    .contains("sluice-mesos.properties");
        }
        assertThat(client).contains("--deploy-mode client");
        assertThat(cluster).contains("--deploy-mode cluster").contains("--supervise");
    }

    private static final class Standby implements DriverStatus {
        @Override
        public String id() {
            return "host:1";
        }

        @Override
        public boolean zookeeperConnected() {
            return true;
        }

        @Override
        public boolean leader() {
            return false;
        }

        @Override
        public String leaderId() {
            return "host:2";
        }

        @Override
        public long epoch() {
            return -1;
        }

        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public Optional<PipelineMetrics.Snapshot> metrics() {
            return Optional.empty();
        }

        @Override
        public Map<TopicPartitionKey, Long> lag() {
            return Map.of();
        }
    }
}
