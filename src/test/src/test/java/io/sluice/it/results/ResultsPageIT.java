package io.sluice.it.results;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.serve.ResultsService;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.results.CountCell;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsSnapshot;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.results.Variation;
import io.sluice.jobs.results.stats.ExperimentStats;
import io.sluice.jobs.results.stats.StatsSettings;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ReceiverToken;
import io.sluice.testkit.server.RuntimeClasspath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The results page in a real browser (issue 19, item 4): a short pipeline on the shared servers, then {@code sluice
 * results serve}'s server on its HBase table and Debian's chromium headless; the numbers the page renders for the
 * biggest experiment (events per variation and type, unique visitors, the SRM flag, the windows late events revised
 * with their revision numbers) and its top experiments must be
 * the generator's ground truth. A skewed split configured for a second experiment shows on {@code /metrics}.
 */
@RealServers
class ResultsPageIT {
    private static final long EVENTS = 6_000;
    private static final int VIRTUAL_MS = 10_000;

    @Test
    @Timeout(180)
    void thePageShowsTheGroundTruthOfTheResultsTable() throws Exception {
        HeadlessChromium chromium = new HeadlessChromium(target()); // fails at once when chromium is missing
        PipelineScenario scenario = Scenarios.onSharedServers("results-page", 2, false);
        EventGenerator generator = new EventGenerator(19, 0.01, 0.01);
        scenario.produce(generator, 0, EVENTS, 0);
        SluiceSettings settings = scenario.settings();
        DriverRuntime driver = new DriverRuntime(settings, new SparkConf());
        long lastArrival = generator.arrival(EVENTS - 1);
        try {
            driver.start();
            scenario.awaitFullyCommitted(Duration.ofSeconds(60));
            // every window but those within the allowed lateness (and one window) of the end is final
            eventually(
                    Duration.ofSeconds(30),
                    () -> scenario.resultsWatermark() != EventClock.NO_TIME
                            && scenario.resultsWatermark()
                                    >= lastArrival
                                            - settings.pipeline().results().allowedLatenessMs()
                                            - 1_000,
                    "the watermark reaches the last events minus the allowed lateness");
        } finally {
            driver.stop(true);
        }

        ResultsSettings windows = settings.pipeline().results();
        GroundTruth truth = scenario.groundTruth(generator, EVENTS);
        ResultsSnapshot expected = truth.results(windows);
        List<ExperimentKey> bySize = experimentsBySize(expected);
        ExperimentKey shown = bySize.get(0);
        ExperimentKey skewed = bySize.get(1);
        StatsSettings stats = StatsSettings.parse(
                "--split",
                List.of(skewedSplit(skewed, expected)),
                "--srm-threshold",
                StatsSettings.DEFAULT_SRM_THRESHOLD);

        try (ResultsService service = ResultsService.start(settings, stats, "127.0.0.1", 0, ReceiverToken.VALUE)) {
            String base = "http://127.0.0.1:" + service.port();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/api/top"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("the API without the token")
                    .isEqualTo(401);

            String url = base + "/#" + shown.accountId() + "/" + shown.experimentId() + "&token=" + ReceiverToken.VALUE;
            RenderedPage page = new RenderedPage(chromium.dumpDom(url, VIRTUAL_MS));
            Files.writeString(target().resolve("results-page.html"), page.html);
            assertThat(page.byId("status").map(e -> e.attr("data-state")))
                    .as("the page's status (its DOM is in target/results-page.html)")
                    .contains("ready");
            assertShows(page, shown, expected);
            assertTop(page, expected, windows);

            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .as("the configured 90:10 split of %s/%s is a mismatch", skewed.accountId(), skewed.experimentId())
                    .contains("sluice_results_srm_flag{account=\"" + skewed.accountId() + "\",experiment=\""
                            + skewed.experimentId() + "\",} 1.0");

            Path png = target().resolve("results-page.png");
            chromium.screenshot(url, VIRTUAL_MS, png, 1400, 1000);
        }
    }

    /** Events per variation and type, unique visitors and the SRM flag of {@code experiment}, as the page shows them. */
    private static void assertShows(RenderedPage page, ExperimentKey experiment, ResultsSnapshot expected) {
        Map<String, Map<String, Long>> events = new TreeMap<>();
        expected.counts().forEach((CountCell cell, Long n) -> {
            if (cell.experiment().equals(experiment)) {
                events.computeIfAbsent(cell.variationId(), v -> new TreeMap<>()).merge(cell.type(), n, Long::sum);
            }
        });
        assertThat(events).isNotEmpty();
        for (String type : List.of("impression", "click", "conversion")) {
            Map<String, Long> shown = values(page.field("events." + type));
            Map<String, Long> truth = new TreeMap<>();
            events.forEach((v, byType) -> truth.put(v, byType.getOrDefault(type, 0L)));
            assertThat(shown).as("%s events per variation on the page", type).isEqualTo(truth);
        }
        Map<String, Long> totals = new TreeMap<>();
        events.forEach((v, byType) -> totals.put(
                v, byType.values().stream().mapToLong(Long::longValue).sum()));
        assertThat(values(page.field("total_events")))
                .as("events per variation")
                .isEqualTo(totals);

        Map<String, Long> visitors = values(page.field("visitors"));
        Map<String, Long> truthVisitors = new TreeMap<>();
        expected.lifetimeVisitors().forEach((Variation v, Long n) -> {
            if (v.experiment().equals(experiment)) {
                truthVisitors.put(v.variationId(), n);
            }
        });
        assertThat(visitors).as("unique visitors per variation on the page").isEqualTo(truthVisitors);

        // the windows late events revised, each with its revision number
        Map<String, Long> revised = new TreeMap<>();
        page.elements.stream()
                .filter(e -> "revision".equals(e.attr("data-field")))
                .forEach(e -> revised.put(
                        e.attr("data-variation") + "@" + e.attr("data-start"), Long.parseLong(e.attr("data-value"))));
        Map<String, Long> truthRevised = new TreeMap<>();
        expected.revisions().forEach((row, n) -> {
            if (row.experiment().equals(experiment)) {
                truthRevised.put(row.variationId() + "@" + row.windowStart(), n);
            }
        });
        assertThat(truthRevised)
                .as("windows of %s that late events revise", experiment)
                .isNotEmpty();
        assertThat(revised).as("revised windows on the page").isEqualTo(truthRevised);

        // the flag the page shows is the check of the ground truth's numbers
        List<CountRow> truthRows = new ArrayList<>();
        events.forEach((v, byType) -> truthRows.add(new CountRow(0, experiment, v, byType, 0, truthVisitors.get(v))));
        ExperimentStats stats = ExperimentStats.of(experiment, truthRows, StatsSettings.DEFAULTS);
        assertThat(page.byId("srm").map(e -> e.attr("data-mismatch")))
                .as("SRM flag of %s", experiment)
                .contains(stats.srm().mismatch() ? "1" : "0");
        page.field("rate").forEach((v, cell) -> assertThat(cell.attr("data-denominator-kind"))
                .isEqualTo(visitors.get(v) > 0 ? "visitors" : "impressions"));
    }

    /** The page's top experiments: the ground truth's top row of the window end it shows. */
    private static void assertTop(RenderedPage page, ResultsSnapshot expected, ResultsSettings windows) {
        String end = page.byId("top-window").map(e -> e.attr("data-value")).orElse("");
        assertThat(end).as("the top window's end on the page").isNotEmpty();
        TopRow truth = expected.topAt(Long.parseLong(end), windows);
        List<String> shown = new ArrayList<>();
        for (RenderedPage.Element row : page.topRows()) {
            String rank = row.attr("data-rank");
            shown.add(row.attr("data-experiment") + "="
                    + page.byId("top-" + rank + "-events").orElseThrow().attr("data-value"));
        }
        List<String> wanted = new ArrayList<>();
        for (RankedExperiment r : truth.ranking()) {
            wanted.add(r.experiment().accountId() + "/" + r.experiment().experimentId() + "=" + r.events());
        }
        assertThat(shown).as("top experiments of the window ending %s", end).isEqualTo(wanted);
    }

    private static Map<String, Long> values(Map<String, RenderedPage.Element> cells) {
        Map<String, Long> out = new TreeMap<>();
        cells.forEach((v, e) -> {
            assertThat(e.text()).as("the text of %s", e.attr("id")).isEqualTo(e.attr("data-value"));
            out.put(v, Long.parseLong(e.attr("data-value")));
        });
        return out;
    }

    private static List<ExperimentKey> experimentsBySize(ResultsSnapshot expected) {
        Map<ExperimentKey, Long> events = expected.counts().entrySet().stream()
                .collect(Collectors.groupingBy(
                        e -> e.getKey().experiment(), Collectors.summingLong(Map.Entry::getValue)));
        return events.entrySet().stream()
                .sorted(Map.Entry.<ExperimentKey, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** 90 % to the first variation of {@code experiment}, the rest shared by the others: far from its equal split. */
    private static String skewedSplit(ExperimentKey experiment, ResultsSnapshot expected) {
        List<String> variations = expected.counts().keySet().stream()
                .filter(c -> c.experiment().equals(experiment))
                .map(CountCell::variationId)
                .distinct()
                .sorted()
                .toList();
        StringBuilder split = new StringBuilder(experiment.accountId() + "/" + experiment.experimentId() + "=");
        for (int i = 0; i < variations.size(); i++) {
            split.append(i == 0 ? "" : ",")
                    .append(variations.get(i))
                    .append(':')
                    .append(i == 0 ? 90 : 10);
        }
        return split.toString();
    }

    private static Path target() throws java.io.IOException {
        Path dir = RuntimeClasspath.home().resolve("src/test/target");
        Files.createDirectories(dir);
        return dir;
    }
}
