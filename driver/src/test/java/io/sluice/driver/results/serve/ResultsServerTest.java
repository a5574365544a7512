package io.sluice.driver.results.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.results.stats.StatsSettings;
import io.sluice.jobs.results.stats.WilsonInterval;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The results API over HTTP on fixed rows: the token, the JSON shapes, the page's files, the SRM metrics. */
class ResultsServerTest {
    private static final String TOKEN = "t0ken-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExperimentKey SKEWED = new ExperimentKey("acct-1", "exp-6");
    private static final ExperimentKey EVEN = new ExperimentKey("acct-0", "exp-2");
    private final HttpClient http = HttpClient.newHttpClient();

    private static CountRow row(ExperimentKey e, long start, String v, long imp, long conv, long visitors, long nv) {
        return new CountRow(start, e, v, Map.of("impression", imp, "conversion", conv), visitors, nv);
    }

    /** acct-1/exp-6 split 1,000 : 1,200 (an SRM), acct-0/exp-2 100 : 100; windows of 10 s, watermark at 10 s. */
    private static final class Fixed implements ResultsSource {
        final List<CountRow> rows = List.of(
                row(EVEN, 0, "var-0", 300, 10, 100, 100),
                row(EVEN, 0, "var-1", 310, 12, 100, 100),
                row(SKEWED, 0, "var-0", 2000, 50, 600, 600),
                row(SKEWED, 0, "var-1", 2100, 60, 700, 700),
                row(SKEWED, 10_000, "var-0", 1500, 40, 500, 400),
                row(SKEWED, 10_000, "var-1", 1600, 45, 600, 500));
        boolean broken;

        @Override
        public List<CountRow> allRows() throws IOException {
            check();
            return rows;
        }

        @Override
        public List<CountRow> experiment(ExperimentKey experiment) throws IOException {
            check();
            return rows.stream().filter(r -> r.experiment().equals(experiment)).toList();
        }

        @Override
        public Optional<TopRow> latestTop() throws IOException {
            check();
            return Optional.of(
                    new TopRow(30_000, List.of(new RankedExperiment(SKEWED, 7350), new RankedExperiment(EVEN, 632))));
        }

        @Override
        public long watermark() throws IOException {
            check();
            return 10_000;
        }

        private void check() throws IOException {
            if (broken) {
                throw new IOException("region server gone");
            }
        }
    }

    private HttpResponse<String> get(ResultsServer server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(ResultsServer server, String path) throws Exception {
        HttpResponse<String> r = get(server, path, TOKEN);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    private static ResultsServer start(ResultsSource source) throws IOException {
        return ResultsServer.start("127.0.0.1", 0, new ResultsApi(source, StatsSettings.DEFAULTS, 10_000), TOKEN);
    }

    @Test
    void everyApiPathNeedsTheToken() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            for (String path : List.of(
                    "/api/experiments", "/api/experiments/acct-1/exp-6", "/api/top", "/api/watermark", "/api/nope")) {
                HttpResponse<String> none = get(server, path, null);
                assertThat(none.statusCode()).as(path).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertThat(none.body()).doesNotContain("acct-1");
                assertThat(get(server, path, TOKEN + "x").statusCode()).as(path).isEqualTo(401);
                assertThat(get(server, path, "").statusCode()).as(path).isEqualTo(401);
            }
        }
    }

    @Test
    void experimentsListTotalsAndTheSrmFlag() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            JsonNode list = json(server, "/api/experiments");
            assertThat(list.get("watermark").asLong()).isEqualTo(10_000);
            assertThat(list.get("watermark_iso").asText()).isEqualTo("1970-01-01T00:00:10Z");
            JsonNode experiments = list.get("experiments");
            assertThat(experiments).hasSize(2);
            JsonNode even = experiments.get(0);
            assertThat(even.get("account").asText()).isEqualTo("acct-0");
            assertThat(even.get("experiment").asText()).isEqualTo("exp-2");
            assertThat(even.get("variations").asInt()).isEqualTo(2);
            assertThat(even.get("events").get("impression").asLong()).isEqualTo(610);
            assertThat(even.get("total_events").asLong()).isEqualTo(632);
            assertThat(even.get("visitors").asLong()).isEqualTo(200);
            assertThat(even.get("srm_mismatch").asBoolean()).isFalse();
            assertThat(even.get("srm_p_value").asDouble()).isEqualTo(1.0);
            JsonNode skewed = experiments.get(1);
            assertThat(skewed.get("visitors").asLong()).isEqualTo(2200);
            assertThat(skewed.get("srm_mismatch").asBoolean()).isTrue();
            assertThat(skewed.get("srm_p_value").asDouble()).isLessThan(0.001);
        }
    }

    @Test
    void anExperimentHasItsVariationsWindowsConversionAndSrm() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            JsonNode e = json(server, "/api/experiments/acct-1/exp-6");
            assertThat(e.get("account").asText()).isEqualTo("acct-1");
            assertThat(e.get("window_ms").asLong()).isEqualTo(10_000);
            assertThat(e.get("conversion_type").asText()).isEqualTo("conversion");
            JsonNode v0 = e.get("variations").get(0);
            assertThat(v0.get("variation").asText()).isEqualTo("var-0");
            assertThat(v0.get("events").get("impression").asLong()).isEqualTo(3500);
            assertThat(v0.get("events").get("conversion").asLong()).isEqualTo(90);
            assertThat(v0.get("total_events").asLong()).isEqualTo(3590);
            assertThat(v0.get("visitors").asLong()).as("600 + 400 new").isEqualTo(1000);
            JsonNode conversion = v0.get("conversion");
            assertThat(conversion.get("conversions").asLong()).isEqualTo(90);
            assertThat(conversion.get("denominator").asLong()).isEqualTo(1000);
            assertThat(conversion.get("denominator_kind").asText()).isEqualTo("visitors");
            assertThat(conversion.get("rate").asDouble()).isEqualTo(0.09);
            assertThat(conversion.get("low").asDouble())
                    .isEqualTo(WilsonInterval.of95(90, 1000).low());
            assertThat(conversion.get("high").asDouble())
                    .isEqualTo(WilsonInterval.of95(90, 1000).high());
            assertThat(conversion.get("note").isNull()).isTrue();
            JsonNode windows = v0.get("windows");
            assertThat(windows).hasSize(2);
            assertThat(windows.get(0).get("start").asLong()).isZero();
            assertThat(windows.get(0).get("end").asLong()).isEqualTo(10_000);
            assertThat(windows.get(0).get("final").asBoolean())
                    .as("ends at the watermark")
                    .isTrue();
            assertThat(windows.get(1).get("final").asBoolean()).isFalse();
            assertThat(windows.get(1).get("visitors").asLong()).isEqualTo(500);
            assertThat(windows.get(1).get("new_visitors").asLong()).isEqualTo(400);
            assertThat(windows.get(1).get("events").get("conversion").asLong()).isEqualTo(40);
            assertThat(windows.get(1).get("conversion").get("rate").asDouble()).isEqualTo(0.08);
            JsonNode srm = e.get("srm");
            assertThat(srm.get("mismatch").asBoolean()).isTrue();
            assertThat(srm.get("threshold").asDouble()).isEqualTo(0.001);
            assertThat(srm.get("split").asText()).isEqualTo("equal");
            assertThat(srm.get("degrees_of_freedom").asInt()).isEqualTo(1);
            assertThat(srm.get("chi_square").asDouble()).isCloseTo(18.18, org.assertj.core.data.Offset.offset(0.01));
            assertThat(srm.get("observed_visitors").get("var-1").asLong()).isEqualTo(1200);
            assertThat(srm.get("expected_visitors").get("var-1").asDouble()).isEqualTo(1100.0);
            assertThat(srm.get("expected_shares").get("var-0").asDouble()).isEqualTo(0.5);

            HttpResponse<String> missing = get(server, "/api/experiments/acct-9/exp-9", TOKEN);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("no counts of acct-9/exp-9");
            assertThat(get(server, "/api/experiments/acct-1", TOKEN).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void topAndWatermark() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            JsonNode top = json(server, "/api/top");
            assertThat(top.get("window_end").asLong()).isEqualTo(30_000);
            assertThat(top.get("ranking")).hasSize(2);
            assertThat(top.get("ranking").get(0).get("rank").asInt()).isEqualTo(1);
            assertThat(top.get("ranking").get(0).get("account").asText()).isEqualTo("acct-1");
            assertThat(top.get("ranking").get(0).get("experiment").asText()).isEqualTo("exp-6");
            assertThat(top.get("ranking").get(0).get("events").asLong()).isEqualTo(7350);
            assertThat(json(server, "/api/watermark").get("watermark").asLong()).isEqualTo(10_000);
        }
    }

    @Test
    void anEmptyTableHasNullsNotErrors() throws Exception {
        ResultsSource empty = new ResultsSource() {
            @Override
            public List<CountRow> allRows() {
                return List.of();
            }

            @Override
            public List<CountRow> experiment(ExperimentKey experiment) {
                return List.of();
            }

            @Override
            public Optional<TopRow> latestTop() {
                return Optional.empty();
            }

            @Override
            public long watermark() {
                return EventClock.NO_TIME;
            }
        };
        try (ResultsServer server = start(empty)) {
            assertThat(json(server, "/api/watermark").get("watermark").isNull()).isTrue();
            JsonNode top = json(server, "/api/top");
            assertThat(top.get("window_end").isNull()).isTrue();
            assertThat(top.get("ranking")).isEmpty();
            assertThat(json(server, "/api/experiments").get("experiments")).isEmpty();
        }
    }

    @Test
    void metricsCarryTheSrmFlagAndPValuePerExperiment() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            HttpResponse<String> metrics = get(server, "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("sluice_results_srm_flag{account=\"acct-1\",experiment=\"exp-6\",} 1.0")
                    .contains("sluice_results_srm_flag{account=\"acct-0\",experiment=\"exp-2\",} 0.0")
                    .contains("sluice_results_srm_p_value{account=\"acct-0\",experiment=\"exp-2\",} 1.0")
                    .containsPattern(
                            "sluice_results_srm_p_value\\{account=\"acct-1\",experiment=\"exp-6\",} [0-9.]+E-5")
                    .contains("sluice_results_table_readable 1.0");
        }
    }

    @Test
    void anUnreadableTableIs503AndMetricsSaySo() throws Exception {
        Fixed source = new Fixed();
        source.broken = true;
        try (ResultsServer server = start(source)) {
            HttpResponse<String> r = get(server, "/api/experiments", TOKEN);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("region server gone");
            assertThat(get(server, "/metrics", null).body()).contains("sluice_results_table_readable 0.0");
        }
    }

    @Test
    void thePageAndItsFilesAreServedAndNothingElse() throws Exception {
        try (ResultsServer server = start(new Fixed())) {
            HttpResponse<String> page = get(server, "/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(page.body()).contains("uPlot.iife.min.js", "results.js").doesNotContain("acct-1");
            assertThat(get(server, "/uPlot.iife.min.js", null).body()).contains("uPlot");
            assertThat(get(server, "/uPlot.min.css", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/uPlot.LICENSE", null).body()).contains("MIT License");
            assertThat(get(server, "/results.js", null).body()).contains("Authorization");
            assertThat(get(server, "/nope.js", null).statusCode()).isEqualTo(404);
            assertThat(get(server, "/../pom.xml", null).statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/top"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
