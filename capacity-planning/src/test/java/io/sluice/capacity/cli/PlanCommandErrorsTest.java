package io.sluice.capacity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad input exits 2 with exactly one line on stderr that names the flag, and prints nothing on stdout. */
class PlanCommandErrorsTest {
    private static void assertOneLine(CommandRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).endsWith("\n");
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("plan: ").contains(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--events-per-second | -5     | plan: --events-per-second must be a positive number, got '-5'",
                "--events-per-second | 0      | plan: --events-per-second must be a positive number, got '0'",
                "--events-per-second | lots   | plan: --events-per-second must be a number, got 'lots'",
                "--event-bytes       | 1e999  | plan: --event-bytes must be a positive number, got 'Infinity'",
                "--node-cores        | 0      | plan: --node-cores must be a positive integer, got '0'",
                "--node-cores        | -2     | plan: --node-cores must be a positive integer, got '-2'",
                "--node-cores        | 2.5    | plan: --node-cores must be an integer, got '2.5'",
                "--nic-gbps          | fast   | plan: --nic-gbps must be a number, got 'fast'",
                "--disk-mbps         | 0      | plan: --disk-mbps must be a positive number, got '0'",
                "--node-memory-gb    | -1     | plan: --node-memory-gb must be a positive number, got '-1'",
                "--peak-factor       | 0.5    | plan: --peak-factor must be a number >= 1, got '0.5'",
                "--wal               | maybe  | plan: --wal must be on or off, got 'maybe'",
                "--hdfs-replication  | 0      | plan: --hdfs-replication must be an integer >= 1, got '0'",
                "--kafka-replication | three  | plan: --kafka-replication must be an integer, got 'three'",
                "--compression-ratio | 2      | plan: --compression-ratio must be a number from 0.01 to 1, got '2'",
                "--archive-write-amplification | 0.5 | plan: --archive-write-amplification must be a number >= 1, got '0.5'",
                "--headroom          | 0.95   | plan: --headroom must be a number from 0 to 0.9, got '0.95'",
                "--batch-interval-seconds | 0 | plan: --batch-interval-seconds must be a number from 0.1 to 3600, got '0'",
                "--window-minutes    | -1     | plan: --window-minutes must be a number >= 0, got '-1'",
                "--events-per-second-per-core | 0 | plan: --events-per-second-per-core must be a positive number, got '0'",
                "--format            | xml    | plan: --format must be one of table, json or properties, got 'xml'",
            })
    void aBadValueNamesTheFlagAndWhatItExpects(String flag, String value, String expected) {
        assertOneLine(CommandRun.plan(flag, value), expected);
    }

    @Test
    void picocliErrorsAreOneLineToo() {
        assertOneLine(CommandRun.plan("--no-such-flag"), "--no-such-flag");
        assertOneLine(CommandRun.plan("--node-cores"), "--node-cores");
        assertOneLine(CommandRun.plan("surplus"), "surplus");
    }

    @Test
    void aMissingOrBadFileNamesItsFlag(@TempDir Path dir) throws Exception {
        assertOneLine(
                CommandRun.plan("--config", dir.resolve("absent.properties").toString()),
                "plan: --config must be a readable properties file");
        assertOneLine(
                CommandRun.plan(
                        "--calibration", dir.resolve("absent.properties").toString()),
                "plan: --calibration must be a readable properties file");
        Path calibration = Files.writeString(dir.resolve("c.properties"), "something=else\n");
        assertOneLine(
                CommandRun.plan("--calibration", calibration.toString()),
                "plan: --calibration file c.properties must set sluice.calibration.events-per-second-per-core");
        assertOneLine(
                CommandRun.plan("--chart", dir.resolve("no/such/dir/chart.svg").toString()),
                "plan: --chart must be a writable file");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sluice.calibration.hbase-cpu-us-per-event",
        "sluice.calibration.kafka-cpu-us-per-event",
        "sluice.calibration.archive-bytes-per-event",
        "sluice.calibration.archive-written-bytes-per-event",
        "sluice.calibration.event-store-bytes-per-event",
    })
    void aMalformedCalibrationKeyIsNamed(String key, @TempDir Path dir) throws Exception {
        Path calibration = Files.writeString(
                dir.resolve("c.properties"), "sluice.calibration.events-per-second-per-core=16000\n" + key + "=lots\n");
        assertOneLine(
                CommandRun.plan("--calibration", calibration.toString()),
                "plan: --calibration " + key + " must be a positive number, got 'lots'");
    }

    @Test
    void archiveWrittenBytesBelowTheStoredBytesAreNamed(@TempDir Path dir) throws Exception {
        Path calibration = Files.writeString(
                dir.resolve("c.properties"),
                "sluice.calibration.events-per-second-per-core=16000\n"
                        + "sluice.calibration.archive-bytes-per-event=150\n"
                        + "sluice.calibration.archive-written-bytes-per-event=100\n");
        assertOneLine(
                CommandRun.plan("--calibration", calibration.toString()),
                "plan: --calibration sluice.calibration.archive-written-bytes-per-event must be at least"
                        + " sluice.calibration.archive-bytes-per-event (150), got '100'");
    }

    @Test
    void aCalibrationKeyInAConfigFileSaysWhereItBelongs(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("p.properties"), "sluice.calibration.hbase-cpu-us-per-event=100\n");
        assertOneLine(CommandRun.plan("--config", config.toString()), "pass that file with --calibration");
    }

    @Test
    void aConfigFileWithAnUnknownKeyOrABadValueNamesTheKey(@TempDir Path dir) throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.properties"), "events-per-secnd=5\n");
        assertOneLine(CommandRun.plan("--config", unknown.toString()), "unknown key 'events-per-secnd'");
        Path bad = Files.writeString(dir.resolve("b.properties"), "nic-gbps=fast\n");
        assertOneLine(
                CommandRun.plan("--config", bad.toString()),
                "plan: --nic-gbps must be a number, got 'fast' (in --config " + bad + ")");
        Path zero = Files.writeString(dir.resolve("z.properties"), "node-cores=0\n");
        assertOneLine(
                CommandRun.plan("--config", zero.toString()), "plan: --node-cores must be a positive integer, got '0'");
    }

    @Test
    void helpExitsZero() {
        CommandRun run = CommandRun.plan("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("--events-per-second")
                .contains("--simple")
                .contains("--chart");
    }
}
