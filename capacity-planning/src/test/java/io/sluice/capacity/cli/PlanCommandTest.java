package io.sluice.capacity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlanCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return PlanCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void theReferenceCaseInJsonSaysSixNodesBoundByDisk() throws Exception {
        assertThat(run(
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
                        "json"))
                .isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("nodes").asInt()).isEqualTo(6);
        assertThat(json.get("binding_resource").asText()).isEqualTo("disk_write");
        assertThat(json.get("nodes_by_resource").get("network_in").asInt()).isEqualTo(5);
        assertThat(json.get("nodes_by_resource").get("disk_write").asInt()).isEqualTo(6);
    }

    @Test
    void walAndReplicationThreeNeedMoreNodesAndDiskBinds() throws Exception {
        assertThat(run("--simple", "--wal", "on", "--hdfs-replication", "3", "--format", "json"))
                .isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("nodes").asInt()).isGreaterThan(6);
        assertThat(json.get("binding_resource").asText()).isEqualTo("disk_write");
    }

    @Test
    void theTableSaysWhichResourceBindsAndWhy() {
        assertThat(run("--simple")).isZero();
        assertThat(out.toString())
                .contains("Nodes: 6. The binding resource is disk write")
                .contains("<- binds");
    }

    @Test
    void propertiesAreReadyForSparkSubmit() throws Exception {
        assertThat(run("--format", "properties")).isZero();
        Properties p = new Properties();
        p.load(new StringReader(out.toString()));
        assertThat(p)
                .containsKeys(
                        "spark.cores.max",
                        "spark.executor.memory",
                        "spark.streaming.kafka.maxRatePerPartition",
                        "spark.streaming.receiver.maxRate",
                        "spark.streaming.backpressure.enabled");
        assertThat(Integer.parseInt(p.getProperty("spark.cores.max"))).isPositive();
    }

    @Test
    void flagsComeFromAConfigFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("plan.properties");
        Files.writeString(config, "simple=true\nevents-per-second=2000000\ndisk-mbps=100\n");
        assertThat(run("--config", config.toString(), "--format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("nodes").asInt())
                .isEqualTo(12);
        out.getBuffer().setLength(0);
        assertThat(run("--config", config.toString(), "--disk-mbps", "200", "--format", "json"))
                .isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("nodes").asInt())
                .isEqualTo(10); // NIC binds now
    }

    @Test
    void aCalibrationFileSetsTheCpuRate(@TempDir Path dir) throws Exception {
        Path calibration = dir.resolve("calibration.properties");
        Files.writeString(calibration, "sluice.calibration.events-per-second-per-core=1000\n");
        assertThat(run("--calibration", calibration.toString(), "--format", "json"))
                .isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("binding_resource").asText()).isEqualTo("cpu");
        assertThat(json.get("calibration_events_per_second_per_core").asDouble())
                .isEqualTo(1000);
    }

    @Test
    void badInputsExitTwoWithOneLineNamingTheFlag() {
        assertBad("plan: --events-per-second must be a positive number, got -5", "--events-per-second", "-5");
        assertBad("plan: --node-cores must be a positive number, got 0", "--node-cores", "0");
        assertBad("--format", "--format", "xml");
        assertBad("--nic-gbps", "--nic-gbps", "fast");
        assertBad("--wal", "--wal", "maybe");
    }

    private void assertBad(String expected, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString().strip()).contains(expected).doesNotContain("\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theChartHasOneSeriesPerResource(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("nodes.svg");
        assertThat(run("--chart", chart.toString())).isZero();
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(chart.toFile());
        NodeList lines = svg.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(5);
        for (int i = 0; i < lines.getLength(); i++) {
            String points = ((Element) lines.item(i)).getAttribute("points");
            assertThat(points.split(" ")).hasSize(39);
        }
    }
}
