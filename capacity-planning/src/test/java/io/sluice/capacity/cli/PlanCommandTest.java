package io.sluice.capacity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(realistic.get("nodes").asInt()).isEqualTo(100);
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

    private static Path fullCalibration(Path dir) throws Exception {
        return Files.writeString(
                dir.resolve("cal.properties"),
                "sluice.calibration.events-per-second-per-core=16000\n"
                        + "sluice.calibration.hbase-cpu-us-per-event=100\n"
                        + "sluice.calibration.kafka-cpu-us-per-event=5\n"
                        + "sluice.calibration.archive-bytes-per-event=150\n"
                        + "sluice.calibration.event-store-bytes-per-event=700\n");
    }

    @Test
    void aFullCalibrationFileGivesNodesPerRole(@TempDir Path dir) throws Exception {
        Path calibration = fullCalibration(dir);
        JsonNode json = json(CommandRun.plan("--calibration", calibration.toString(), "--format", "json"));
        // cpu on the shared nodes: 62.5 cores of Spark + 100 of region servers = 162.5 / 2.1 -> 78
        assertThat(json.get("nodes").asInt()).isEqualTo(78);
        assertThat(json.get("binding_resource").asText()).isEqualTo("cpu");
        assertThat(json.get("binding_role").asText()).isEqualTo("region_servers");
        JsonNode byRole = json.get("nodes_by_role");
        assertThat(byRole.get("spark_executors").asInt()).isEqualTo(30); // 62.5 cores / 2.1
        assertThat(byRole.get("region_servers").asInt()).isEqualTo(60); // disk write 4,200 MB/s / 70
        assertThat(byRole.get("kafka_brokers").asInt()).isEqualTo(26); // disk write 1,800 MB/s / 70
        JsonNode brokers = json.get("roles").get("kafka_brokers");
        assertThat(brokers.get("colocated").asBoolean()).isFalse();
        assertThat(brokers.get("binding_resource").asText()).isEqualTo("disk_write");
        assertThat(json.get("calibration_hbase_cpu_us_per_event").asDouble()).isEqualTo(100);
        assertThat(json.get("calibration_kafka_cpu_us_per_event").asDouble()).isEqualTo(5);

        CommandRun table = CommandRun.plan("--calibration", calibration.toString());
        assertThat(table.out())
                .contains("Binding role: region servers, with 100.0 cores of the 162.5 cores of cpu.")
                .containsPattern("spark executors +30  cpu ")
                .containsPattern("region servers +60  disk write .*on the planned nodes   <- binding role")
                .containsPattern("kafka brokers +26  disk write .*own nodes, not in the total");
        CommandRun properties = CommandRun.plan("--calibration", calibration.toString(), "--format", "properties");
        assertThat(properties.out())
                .contains("# roles, each alone: spark_executors 30, region_servers 60, kafka_brokers 26 (own nodes);"
                        + " binding role region_servers");
    }

    @Test
    void aFlagWinsOverTheCalibrationFileAndSimpleIgnoresIt(@TempDir Path dir) throws Exception {
        Path calibration = fullCalibration(dir);
        JsonNode measured = json(CommandRun.plan("--calibration", calibration.toString(), "--format", "json"));
        // 150 B per event replace the compression ratio: 150 x 2.1 written x 3 replicas
        assertThat(measured.get("resources")
                        .get("disk_write")
                        .get("terms")
                        .get("archive x3")
                        .asDouble())
                .isEqualTo(945e6, within(1.0));
        JsonNode flag = json(CommandRun.plan(
                "--calibration",
                calibration.toString(),
                "--compression-ratio",
                "0.5",
                "--events-per-second-per-core",
                "20000",
                "--format",
                "json"));
        assertThat(flag.get("resources")
                        .get("disk_write")
                        .get("terms")
                        .get("archive x3")
                        .asDouble())
                .isEqualTo(1_890e6, within(1.0));
        assertThat(flag.get("calibration_events_per_second_per_core").asDouble())
                .isEqualTo(20_000);
        assertThat(flag.get("calibration_hbase_cpu_us_per_event").asDouble()).isEqualTo(100);
        JsonNode simple =
                json(CommandRun.plan("--simple", "--calibration", calibration.toString(), "--format", "json"));
        assertThat(simple.get("nodes").asInt()).isEqualTo(6);
        assertThat(simple.get("nodes_by_role").get("region_servers").asInt()).isZero();
    }

    private static double archiveDiskWrite(JsonNode json) {
        return json.get("resources")
                .get("disk_write")
                .get("terms")
                .get("archive x3")
                .asDouble();
    }

    @Test
    void theArchivesWrittenBytesSetTheWriteAmplificationAndTheFlagWins(@TempDir Path dir) throws Exception {
        Path calibration = Files.writeString(
                dir.resolve("written.properties"),
                Files.readString(fullCalibration(dir)) + "sluice.calibration.archive-written-bytes-per-event=450\n");
        JsonNode measured = json(CommandRun.plan("--calibration", calibration.toString(), "--format", "json"));
        // w = 450 / 150 = 3: 150 B per event x 3 written x 3 replicas
        assertThat(measured.get("archive_write_amplification").asDouble()).isEqualTo(3);
        assertThat(measured.get("archive_compression_ratio").asDouble()).isEqualTo(0.25);
        assertThat(measured.get("calibration_archive_written_bytes_per_event").asDouble())
                .isEqualTo(450);
        assertThat(archiveDiskWrite(measured)).isEqualTo(1_350e6, within(1.0));
        assertThat(CommandRun.plan("--calibration", calibration.toString()).out())
                .contains("archive at compression 0.25, written x3, S3 backup on")
                .contains("archive 150 B/event; archive written 450 B/event");
        JsonNode flag = json(CommandRun.plan(
                "--calibration", calibration.toString(), "--archive-write-amplification", "2", "--format", "json"));
        assertThat(flag.get("archive_write_amplification").asDouble()).isEqualTo(2);
        assertThat(archiveDiskWrite(flag)).isEqualTo(900e6, within(1.0));
        // without the stored bytes in the file, a given --compression-ratio is what the written bytes are over
        Path writtenOnly = Files.writeString(
                dir.resolve("written-only.properties"),
                "sluice.calibration.events-per-second-per-core=16000\n"
                        + "sluice.calibration.archive-written-bytes-per-event=450\n");
        JsonNode ratio = json(CommandRun.plan(
                "--calibration", writtenOnly.toString(), "--compression-ratio", "0.5", "--format", "json"));
        assertThat(ratio.get("archive_write_amplification").asDouble()).isEqualTo(1.5); // 450 / (0.5 x 600)
    }

    @Test
    void theWriteAmplificationDefaultsToTheAssumptionAndAnOldFileKeepsIt(@TempDir Path dir) throws Exception {
        assertThat(json(CommandRun.plan("--format", "json"))
                        .get("archive_write_amplification")
                        .asDouble())
                .isEqualTo(2.1);
        assertThat(json(CommandRun.plan("--simple", "--format", "json"))
                        .get("archive_write_amplification")
                        .asDouble())
                .isEqualTo(1);
        assertThat(CommandRun.plan().out()).contains("archive at compression 0.25, written x2.1,");
        Path calibration = fullCalibration(dir);
        JsonNode old = json(CommandRun.plan("--calibration", calibration.toString(), "--format", "json"));
        assertThat(old.get("archive_write_amplification").asDouble()).isEqualTo(2.1);
        assertThat(old.get("calibration_archive_written_bytes_per_event").isNull())
                .isTrue();
        // written once, the file's plan is the one it gave before the archive's compaction was modelled
        JsonNode once = json(CommandRun.plan(
                "--calibration", calibration.toString(), "--archive-write-amplification", "1", "--format", "json"));
        assertThat(archiveDiskWrite(once)).isEqualTo(450e6, within(1.0));
        assertThat(once.get("resources")
                        .get("network_out")
                        .get("terms")
                        .get("s3 backup")
                        .asDouble())
                .isEqualTo(150e6, within(1.0));
        assertThat(once.get("resources").get("disk_read").get("terms").has("archive compaction"))
                .isFalse();
        assertThat(once.get("nodes").asInt()).isEqualTo(78);
        assertThat(once.get("resources").get("disk_write").get("nodes").asInt()).isEqualTo(67); // 4,650 MB/s / 70
    }

    @Test
    void anOldCalibrationFileGivesTheOldTable(@TempDir Path dir) throws Exception {
        Path calibration = Files.writeString(
                dir.resolve("old.properties"), "sluice.calibration.events-per-second-per-core=14073\n");
        CommandRun run = CommandRun.plan("--calibration", calibration.toString());
        assertThat(run.out())
                // 1,000,000 / 14,073 = 71.1 cores over 2.1 per node: 34 nodes, nothing added for HBase or Kafka
                .containsPattern("\ncpu +71\\.1 cores +2\\.1 cores +34  parse \\+ jobs at 14073/s per core"
                        + " \\(measured, old\\.properties\\) 71\\.1 cores\n")
                .contains("Nodes: 74. The binding resource is disk write")
                .contains("region server CPU not measured, not counted");
    }
}
