package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    private static RunFigures run(String contender, int rep, double rate, int cores, Boolean exact) {
        return new RunFigures(
                contender,
                rep,
                rep == 0,
                1000,
                1000 / rate,
                rate,
                rate / cores,
                cores,
                3,
                100,
                200,
                5,
                512,
                10,
                exact,
                "",
                new RunMeter.Cost(
                        Map.of("pipeline", 1000 / rate * 1.5, "hbase", 0.017 * 1000 / 1000, "kafka", 0.002),
                        0.6,
                        2.5,
                        100,
                        rate * 1.2),
                contender.equals("sluice-full")
                        ? Map.of("archive", rate / 50, "archive-written", rate / 20, "event-store", 700.0)
                        : Map.of(),
                contender.equals("sluice-full")
                        ? new ArchiveFootprint(2, 1_800, 900_000, 2, 300_000, 300_000, 1.5)
                        : null,
                contender.equals("sluice-full")
                        ? Map.of(
                                "tasks-median",
                                1_500L,
                                "driver-median",
                                500L,
                                "tasks-total",
                                3_000L,
                                "driver-total",
                                1_000L)
                        : Map.of());
    }

    private static BenchReport report(Boolean fullExact) {
        return new BenchReport(
                Map.of("host", "h", "cores", 2, "jdk", "17"),
                Map.of("events", 1000, "partitions", 4, "repetitions", 3, "event_bytes", 600.0),
                List.of(
                        run("sluice-full", 0, 1, 2, true), // warm-up: never counted
                        run("sluice-full", 1, 30_000, 2, true),
                        run("sluice-full", 2, 10_000, 2, fullExact),
                        run("sluice-full", 3, 20_000, 2, true),
                        run("structured-streaming", 1, 8_000, 2, null),
                        run("parse-limit", 1, 100_000, 1, true)),
                List.of(new LatencyFigures("sluice-full", 10_000, 200_000, 2_500, 4_900, 6_100)),
                Map.of("parse", 250_000.0));
    }

    @Test
    void summariesLeaveTheWarmUpOutAndRatiosComparePerCoreMedians() {
        BenchReport report = report(true);
        Summary full = report.summary("sluice-full").orElseThrow();
        assertThat(full.runs()).isEqualTo(3);
        assertThat(full.min()).isEqualTo(10_000);
        assertThat(full.median()).isEqualTo(20_000);
        assertThat(full.max()).isEqualTo(30_000);
        assertThat(full.perCoreMedian()).isEqualTo(10_000);
        assertThat(report.ratio("sluice-full", "structured-streaming")).hasValue(2.5);
        assertThat(report.ratio("sluice-full", "parse-limit")).hasValue(0.1);
        assertThat(report.markdown("2026-11-22"))
                .contains("| sluice-full | 10,000 | 20,000 | 30,000 | 10,000 |")
                .contains("| structured-streaming |")
                .contains("not checked")
                .contains("`sluice-full / structured-streaming` (per core): 2.50")
                .contains("| sluice-full | 10,000 | 200,000 | 2,500 | 4,900 | 6,100 |")
                .contains("| `parse` | 250,000 |")
                // median over runs 1-3 (20,000 events/s): 1.2 x 20,000 steady, 1,000 events in 1.5 x 0.05 CPU-s
                // and its batches: 1,500 ms of tasks, then 500 ms of the driver's serial part, a quarter of the time
                .contains("| sluice-full | 24,000 | 2.5 | 13,333 | 0.1 | 17.0 | 2.0 | 60 % | 1,500 / 500 | 25 % |")
                .contains("| structured-streaming | 9,600 | 2.5 | 5,333 | 0.2 | 17.0 | 2.0 | 60 % | - / - | - |");
    }

    @Test
    void theArchiveTableShowsFilesBeforeAndAfterCompactionAndTheCompressionRatioOverTheEventBytes() {
        assertThat(report(true).markdown("d"))
                // kept: rate / 50 at 30,000, 10,000 and 20,000 events/s, median 400 B of 600 B events
                .contains("| sluice-full | 2 | 1,800 | 2 | - | 400.0 | 1000.0 | 0.667 | 1.5 |");
    }

    @Test
    void aWrongRunIsShownAndWritesNoCalibration() throws Exception {
        BenchReport wrong = report(false);
        assertThat(wrong.markdown("d")).contains("| WRONG |");
        wrong.write(dir, "wrong", "d");
        assertThat(dir.resolve("wrong.calibration.properties")).doesNotExist();

        report(true).write(dir, "right", "d");
        assertThat(Files.readString(dir.resolve("right.calibration.properties")))
                // the pipeline's own CPU: 1.5 CPU-s per 1000 events at each rate, median of 20,000, 6,667 and 13,333
                .contains("sluice.calibration.events-per-second-per-core=13333.3\n")
                .contains("sluice.calibration.hbase-cpu-us-per-event=17.0\n")
                .contains("sluice.calibration.kafka-cpu-us-per-event=2.0\n")
                // archive bytes: rate / 50 at 30,000, 10,000 and 20,000 events/s
                .contains("sluice.calibration.archive-bytes-per-event=400.0\n")
                .contains("sluice.calibration.archive-written-bytes-per-event=1000.0\n")
                .contains("sluice.calibration.event-store-bytes-per-event=700.0\n");
        assertThat(Files.readString(dir.resolve("right.svg")))
                .startsWith("<svg")
                .contains("sluice-full");
        assertThat(Files.readString(dir.resolve("right.json"))).contains("\"sluice_full_over_parse_limit\" : 0.1");
    }
}
