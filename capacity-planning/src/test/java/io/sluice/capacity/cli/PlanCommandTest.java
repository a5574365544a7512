package io.sluice.capacity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    private static JsonNode json(CommandRun run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void theReferenceCaseInJsonSaysSixNodesBoundByDisk() throws Exception {
        JsonNode json = json(CommandRun.plan(
                "--simple",
                "--events-per-second",
                "1000000",
                "--event-bytes",
                "600",
                "--node-cores",
                "4",
                "--nic-gbps",
                "1",
                "--disk-mbps",
                "100",
                "--format",
                "json"));
        assertThat(json.get("nodes").asInt()).isEqualTo(6);
        assertThat(json.get("binding_resource").asText()).isEqualTo("disk_write");
        assertThat(json.get("nodes_by_resource").get("network_in").asInt()).isEqualTo(5);
        assertThat(json.get("nodes_by_resource").get("disk_write").asInt()).isEqualTo(6);
        assertThat(json.get("simple").asBoolean()).isTrue();
    }

    @Test
    void theDefaultsAreTheReferenceCase() throws Exception {
        assertThat(json(CommandRun.plan("--simple", "--format", "json"))
                        .get("nodes")
                        .asInt())
                .isEqualTo(6);
    }

    @Test
    void walAndReplicationThreeNeedMoreNodesAndDiskBinds() throws Exception {
        JsonNode simple =
                json(CommandRun.plan("--simple", "--wal", "on", "--hdfs-replication", "3", "--format", "json"));
        assertThat(simple.get("nodes").asInt()).isEqualTo(36);
        assertThat(simple.get("binding_resource").asText()).isEqualTo("disk_write");
        JsonNode realistic = json(CommandRun.plan("--wal", "on", "--hdfs-replication", "3", "--format", "json"));
        assertThat(realistic.get("nodes").asInt()).isEqualTo(93);
        assertThat(realistic.get("binding_resource").asText()).isEqualTo("disk_write");
        assertThat(realistic.get("nodes_by_resource")).hasSize(6);
        assertThat(realistic
                        .get("settings")
                        .get("spark.streaming.receiver.writeAheadLog.enable")
                        .asText())
                .isEqualTo("true");
    }

    @Test
    void theTableSaysWhichResourceBindsAndWhy() {
        CommandRun run = CommandRun.plan("--simple");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Nodes: 6. The binding resource is disk write")
                .contains("6.00 nodes' worth, rounded up to 6")
                .contains("<- binds")
                .contains("spark.cores.max=18");
    }

    @Test
    void propertiesParseAndAreReadyForSparkSubmit() throws Exception {
        CommandRun run = CommandRun.plan("--format", "properties");
        assertThat(run.exitCode()).isZero();
        Properties p = new Properties();
        p.load(new StringReader(run.out()));
        assertThat(p)
                .containsKeys(
                        "spark.cores.max",
                        "spark.executor.memory",
                        "spark.executor.cores",
                        "spark.streaming.kafka.maxRatePerPartition",
                        "spark.streaming.receiver.maxRate",
                        "sluice.kafka.max-rate-per-partition",
                        "sluice.streaming.batch-interval-ms");
        assertThat(p.getProperty("spark.streaming.backpressure.enabled")).isEqualTo("true");
        assertThat(Integer.parseInt(p.getProperty("spark.cores.max"))).isPositive();
        assertThat(p.getProperty("spark.executor.memory")).matches("\\d+g");
        assertThat(p.stringPropertyNames()).allMatch(k -> k.startsWith("spark.") || k.startsWith("sluice."));
    }

    @Test
    void flagsComeFromAConfigFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("plan.properties");
        Files.writeString(config, "simple=true\nevents-per-second=2000000\nsluice.plan.disk-mbps=100\n");
        assertThat(json(CommandRun.plan("--config", config.toString(), "--format", "json"))
                        .get("nodes")
                        .asInt())
                .isEqualTo(12);
        JsonNode faster =
                json(CommandRun.plan("--config", config.toString(), "--disk-mbps", "200", "--format", "json"));
        assertThat(faster.get("nodes").asInt()).isEqualTo(10); // 1,200 MB/s over 125 MB/s: the NIC binds now
        assertThat(faster.get("binding_resource").asText()).isEqualTo("network_in");
    }

    @Test
    void aCalibrationFileSetsTheCpuRate(@TempDir Path dir) throws Exception {
        Path calibration = dir.resolve("calibration.properties");
        Files.writeString(calibration, "sluice.calibration.events-per-second-per-core=1000\n");
        JsonNode json = json(CommandRun.plan("--calibration", calibration.toString(), "--format", "json"));
        assertThat(json.get("binding_resource").asText()).isEqualTo("cpu");
        assertThat(json.get("calibration_events_per_second_per_core").asDouble())
                .isEqualTo(1000);
        assertThat(json.get("nodes").asInt()).isEqualTo(477); // 1,000 cores over 3 x 0.7 per node
    }

    @Test
    void theChartIsWrittenNextToTheOutput(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("nodes.svg");
        JsonNode json = json(CommandRun.plan("--chart", chart.toString(), "--format", "json"));
        assertThat(json.get("nodes").asInt()).isPositive();
        assertThat(Files.readString(chart)).startsWith("<svg").contains("class=\"series\"");
    }
}
