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
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, new Standby())) {
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

    /**
     * Issue 18: the names, ports, roles, classpath and credentials an operator would otherwise find wrong on a real
     * cluster. Mesos-DNS names a Marathon app by its id's segments in reverse, joined with '-', under marathon.mesos.
     */
    @Test
    void theDispatcherIsReachedByItsMesosDnsNameOnPortsMesosOffers() throws Exception {
        JsonNode dispatcher = app("mesos-dispatcher.json");
        String host = mesosDnsName(dispatcher.path("id").asText());
        assertThat(host).isEqualTo("spark-mesos-dispatcher-sluice.marathon.mesos");
        Map<String, Integer> ports = new java.util.TreeMap<>();
        dispatcher
                .path("portDefinitions")
                .forEach(d -> ports.put(d.path("name").asText(), d.path("port").asInt()));
        if (dispatcher.path("requirePorts").asBoolean()) {
            assertThat(ports.values())
                    .as("fixed ports must be among those Mesos offers by default (31000-32000)")
                    .allMatch(port -> port >= 31000 && port <= 32000);
        }
        assertThat(properties("dispatcher.properties").getProperty("spark.mesos.dispatcher.webui.url"))
                .isEqualTo("http://" + host + ":" + ports.get("ui"));
        assertThat(Files.readString(HOME.resolve("mesos/submit-cluster.sh")))
                .contains("mesos://" + host + ":" + ports.get("submission"));
        assertThat(dispatcher.path("unreachableStrategy").asText())
                .as("Marathon must never start a second dispatcher while a cut-off one may still run")
                .isEqualTo("disabled");
    }

    @Test
    void everySluiceFrameworkAndTaskHasOneRoleAndAuthenticatesFromSecrets() throws Exception {
        Properties sluice = properties("sluice-mesos.properties");
        String role = sluice.getProperty("spark.mesos.role");
        assertThat(role).isNotBlank();
        assertThat(properties("dispatcher.properties").getProperty("spark.mesos.role"))
                .isEqualTo(role);
        for (String name : List.of("sluice-driver.json", "mesos-dispatcher.json")) {
            JsonNode app = app(name);
            assertThat(app.path("role").asText()).as(name).isEqualTo(role);
            JsonNode env = app.path("env");
            assertThat(env.path("MESOS_NATIVE_JAVA_LIBRARY").asText()).as(name).endsWith("libmesos.so");
            assertThat(env.path("SPARK_MESOS_PRINCIPAL").asText()).as(name).isNotBlank();
            assertSecret(app, "SPARK_MESOS_SECRET");
        }
        for (Properties p : List.of(sluice, properties("dispatcher.properties"))) {
            assertThat(p.stringPropertyNames())
                    .as("no principal or secret in a file")
                    .doesNotContain("spark.mesos.principal", "spark.mesos.secret");
        }
        // cluster mode: the driver the dispatcher launches gets libmesos and the same secrets
        assertThat(sluice.getProperty("spark.mesos.driverEnv.MESOS_NATIVE_JAVA_LIBRARY"))
                .endsWith("libmesos.so");
        assertThat(List.of(
                        sluice.getProperty("spark.mesos.driver.secret.envkeys").split(",")))
                .contains("SPARK_MESOS_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void anS3aRootHasS3aOnTheClasspathAndCredentialsFromTheEnvironmentOnly() throws Exception {
        Properties p = properties("sluice-mesos.properties");
        assertThat(p.getProperty("sluice.job.archive.roots")).contains("s3a://");
        String hadoop = pomProperty("hadoop.version");
        assertThat(List.of(p.getProperty("spark.jars.packages", "").split(",")))
                .as("hadoop-aws of Spark's Hadoop version")
                .contains("org.apache.hadoop:hadoop-aws:" + hadoop);
        assertThat(p.getProperty("spark.hadoop.fs.s3a.aws.credentials.provider"))
                .isEqualTo("com.amazonaws.auth.EnvironmentVariableCredentialsProvider");
        assertThat(p.stringPropertyNames())
                .as("no S3 key in the file")
                .noneMatch(k -> k.endsWith("fs.s3a.access.key") || k.endsWith("fs.s3a.secret.key"));
        // the driver (client mode, under Marathon) from Marathon secrets, the executors from Mesos secrets
        JsonNode driver = app("sluice-driver.json");
        assertSecret(driver, "AWS_ACCESS_KEY_ID");
        assertSecret(driver, "AWS_SECRET_ACCESS_KEY");
        List<String> names =
                List.of(p.getProperty("spark.mesos.executor.secret.names").split(","));
        List<String> keys =
                List.of(p.getProperty("spark.mesos.executor.secret.envkeys").split(","));
        assertThat(keys).containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        assertThat(names).hasSameSizeAs(keys);
        for (int i = 0; i < keys.size(); i++) {
            String source = driver.path("secrets")
                    .path(driver.path("env").path(keys.get(i)).path("secret").asText())
                    .path("source")
                    .asText();
            assertThat(names.get(i))
                    .as("the executors' %s is the driver's secret", keys.get(i))
                    .isEqualTo("/" + source);
        }
    }

    /** {@code env.<key>} of {@code app} refers to a secret the app declares, with a source in the secret store. */
    private static void assertSecret(JsonNode app, String key) {
        JsonNode value = app.path("env").path(key);
        assertThat(value.isObject())
                .as("%s of %s is a secret reference", key, app.path("id"))
                .isTrue();
        assertThat(app.path("secrets")
                        .path(value.path("secret").asText())
                        .path("source")
                        .asText())
                .as("%s's secret is declared", key)
                .isNotBlank();
    }

    /** Mesos-DNS's name of a Marathon app: {@code /group/app} is {@code app-group.marathon.mesos}. */
    private static String mesosDnsName(String appId) {
        List<String> segments =
                new ArrayList<>(List.of(appId.replaceAll("^/+", "").split("/")));
        java.util.Collections.reverse(segments);
        return String.join("-", segments) + ".marathon.mesos";
    }

    private static String pomProperty(String name) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "<" + java.util.regex.Pattern.quote(name) + ">([^<]+)<")
                .matcher(Files.readString(HOME.resolve("pom.xml")));
        assertThat(m.find()).as(name + " in the root pom").isTrue();
        return m.group(1).trim();
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
