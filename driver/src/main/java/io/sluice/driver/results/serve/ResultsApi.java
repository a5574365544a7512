package io.sluice.driver.results.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.results.stats.ConversionRate;
import io.sluice.jobs.results.stats.ExperimentStats;
import io.sluice.jobs.results.stats.SampleRatioCheck;
import io.sluice.jobs.results.stats.StatsSettings;
import io.sluice.jobs.results.stats.VariationStats;
import io.sluice.jobs.results.stats.WindowStats;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON of the results API (README, "Results page and API"), from a {@link ResultsSource}: no HTTP here, so it is
 * tested without a server. Paths under {@code /api}:
 *
 * <ul>
 *   <li>{@code /experiments}: every experiment with rows, its totals and its SRM flag;
 *   <li>{@code /experiments/{account}/{experiment}}: per variation its counts per window, visitors, conversion with its
 *       interval, and the experiment's SRM check (404 when it has no rows);
 *   <li>{@code /top}: the newest final top experiments;
 *   <li>{@code /watermark}: the watermark.
 * </ul>
 */
public final class ResultsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResultsSource source;
    private final StatsSettings stats;
    private final long windowMs;

    /** An answer: a status code and a JSON body. */
    public record Answer(int status, JsonNode body) {}

    /**
     * @param windowMs the count window of the results job ({@code sluice.job.results.window-ms}): a window's end is its
     *     start plus this
     */
    public ResultsApi(ResultsSource source, StatsSettings stats, long windowMs) {
        this.source = source;
        this.stats = stats;
        this.windowMs = windowMs;
    }

    /**
     * The answer to {@code GET /api<rawPath>}.
     *
     * @param rawPath the part after {@code /api}, still percent-encoded (so an encoded '/' stays inside its segment)
     * @throws IOException when the table cannot be read
     */
    public Answer get(String rawPath) throws IOException {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/", -1)) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        if (segments.equals(List.of("experiments"))) {
            return new Answer(200, experiments());
        }
        if (segments.size() == 3 && segments.get(0).equals("experiments")) {
            ExperimentKey key = new ExperimentKey(segments.get(1), segments.get(2));
            return experiment(key)
                    .map(body -> new Answer(200, body))
                    .orElseGet(() -> error(404, "no counts of " + key.accountId() + "/" + key.experimentId()));
        }
        if (segments.equals(List.of("top"))) {
            return new Answer(200, top());
        }
        if (segments.equals(List.of("watermark"))) {
            return new Answer(200, watermark(source.watermark()));
        }
        return error(
                404,
                "no such resource: /api" + rawPath + " (/api/experiments, /api/experiments/{account}/{experiment},"
                        + " /api/top, /api/watermark)");
    }

    /** The statistics of every experiment with rows (for {@code /metrics} too), by experiment. */
    public List<ExperimentStats> allStats() throws IOException {
        Map<ExperimentKey, List<CountRow>> byExperiment = new TreeMap<>();
        for (CountRow row : source.allRows()) {
            byExperiment
                    .computeIfAbsent(row.experiment(), k -> new ArrayList<>())
                    .add(row);
        }
        List<ExperimentStats> all = new ArrayList<>();
        byExperiment.forEach((key, rows) -> all.add(ExperimentStats.of(key, rows, stats)));
        return all;
    }

    private ObjectNode experiments() throws IOException {
        long watermark = source.watermark();
        ObjectNode out = watermark(watermark);
        ArrayNode list = out.putArray("experiments");
        for (ExperimentStats s : allStats()) {
            ObjectNode e = list.addObject();
            key(e, s.experiment());
            e.put("variations", s.variations().size());
            e.set("events", counts(s.events()));
            e.put(
                    "total_events",
                    s.events().values().stream().mapToLong(Long::longValue).sum());
            e.put("visitors", s.visitors());
            e.put("srm_mismatch", s.srm().mismatch());
            putNullable(e, "srm_p_value", s.srm().pValue());
        }
        return out;
    }

    private Optional<JsonNode> experiment(ExperimentKey key) throws IOException {
        List<CountRow> rows = source.experiment(key);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long watermark = source.watermark();
        ExperimentStats s = ExperimentStats.of(key, rows, stats);
        ObjectNode out = watermark(watermark);
        key(out, key);
        out.put("window_ms", windowMs);
        out.put("conversion_type", stats.conversionType());
        out.set("events", counts(s.events()));
        out.put("visitors", s.visitors());
        ArrayNode variations = out.putArray("variations");
        for (VariationStats v : s.variations()) {
            ObjectNode node = variations.addObject();
            node.put("variation", v.variationId());
            node.set("events", counts(v.events()));
            node.put("total_events", v.totalEvents());
            node.put("visitors", v.visitors());
            node.set("conversion", conversion(v.conversion()));
            ArrayNode windows = node.putArray("windows");
            for (WindowStats w : v.windows()) {
                ObjectNode wn = windows.addObject();
                wn.put("start", w.windowStart());
                wn.put("end", w.windowStart() + windowMs);
                wn.put("final", watermark != EventClock.NO_TIME && w.windowStart() + windowMs <= watermark);
                wn.set("events", counts(w.events()));
                wn.put("visitors", w.visitors());
                wn.put("new_visitors", w.newVisitors());
                wn.put("revision", w.revision());
                wn.set("conversion", conversion(w.conversion()));
            }
        }
        out.set("srm", srm(s.srm()));
        return Optional.of(out);
    }

    private ObjectNode top() throws IOException {
        ObjectNode out = JSON.createObjectNode();
        Optional<TopRow> top = source.latestTop();
        ArrayNode ranking;
        if (top.isPresent()) {
            out.put("window_end", top.get().windowEnd());
            out.put(
                    "window_end_iso",
                    Instant.ofEpochMilli(top.get().windowEnd()).toString());
            ranking = out.putArray("ranking");
            int rank = 1;
            for (RankedExperiment r : top.get().ranking()) {
                ObjectNode n = ranking.addObject();
                n.put("rank", rank++);
                key(n, r.experiment());
                n.put("events", r.events());
            }
        } else {
            out.putNull("window_end");
            out.putNull("window_end_iso");
            out.putArray("ranking");
        }
        return out;
    }

    private static ObjectNode watermark(long watermark) {
        ObjectNode out = JSON.createObjectNode();
        if (watermark == EventClock.NO_TIME) {
            out.putNull("watermark");
            out.putNull("watermark_iso");
        } else {
            out.put("watermark", watermark);
            out.put("watermark_iso", Instant.ofEpochMilli(watermark).toString());
        }
        return out;
    }

    private static ObjectNode srm(SampleRatioCheck c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mismatch", c.mismatch());
        putNullable(n, "p_value", c.pValue());
        n.put("threshold", c.threshold());
        putNullable(n, "chi_square", c.chiSquare());
        if (c.degreesOfFreedom() == null) {
            n.putNull("degrees_of_freedom");
        } else {
            n.put("degrees_of_freedom", c.degreesOfFreedom());
        }
        n.put("split", c.configured() ? "configured" : "equal");
        ObjectNode shares = n.putObject("expected_shares");
        c.expectedShares().forEach(shares::put);
        ObjectNode observed = n.putObject("observed_visitors");
        c.observed().forEach(observed::put);
        ObjectNode expected = n.putObject("expected_visitors");
        c.expected().forEach(expected::put);
        n.put("note", c.note());
        return n;
    }

    private static ObjectNode conversion(ConversionRate r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("conversions", r.conversions());
        n.put("denominator", r.denominator());
        n.put("denominator_kind", r.denominatorKind().name().toLowerCase(Locale.ROOT));
        putNullable(n, "rate", r.rate());
        putNullable(n, "low", r.interval() == null ? null : r.interval().low());
        putNullable(n, "high", r.interval() == null ? null : r.interval().high());
        n.put("note", r.note());
        return n;
    }

    private static ObjectNode counts(Map<String, Long> byType) {
        ObjectNode n = JSON.createObjectNode();
        new TreeMap<>(byType).forEach(n::put);
        return n;
    }

    private static void key(ObjectNode n, ExperimentKey key) {
        n.put("account", key.accountId());
        n.put("experiment", key.experimentId());
    }

    private static void putNullable(ObjectNode n, String field, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    static Answer error(int status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        return new Answer(status, n);
    }
}
