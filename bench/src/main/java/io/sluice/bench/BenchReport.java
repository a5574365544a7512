package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a benchmark run writes: every run's figures as JSON, a markdown table with min/median/max per contender and the
 * two ratios the README quotes, an SVG chart, and the calibration file {@code ./bin/sluice plan --calibration} reads.
 */
record BenchReport(
        Map<String, Object> machine,
        Map<String, Object> settings,
        List<RunFigures> runs,
        List<LatencyFigures> latencies,
        Map<String, Double> micro) {
    static final String CALIBRATION_KEY = "sluice.calibration.events-per-second-per-core";

    /** The contenders {@code sluice-full} is compared with, per core, in the order the targets name them. */
    private static final List<String> RATIO_PEERS = List.of("structured-streaming", "flink", "parse-limit");

    List<Summary> summaries() {
        Map<String, List<RunFigures>> byContender = new LinkedHashMap<>();
        for (RunFigures run : runs) {
            if (!run.warmUp()) {
                byContender
                        .computeIfAbsent(run.contender(), c -> new ArrayList<>())
                        .add(run);
            }
        }
        List<Summary> summaries = new ArrayList<>();
        byContender.forEach((contender, list) -> summaries.add(Summary.of(contender, list)));
        summaries.sort(java.util.Comparator.comparing(Summary::contender));
        return summaries;
    }

    Optional<Summary> summary(String contender) {
        return summaries().stream().filter(s -> s.contender().equals(contender)).findFirst();
    }

    /** {@code a / b} of the median per-core rates, when both ran. */
    Optional<Double> ratio(String a, String b) {
        return summary(a).flatMap(x -> summary(b).map(y -> x.perCoreMedian() / y.perCoreMedian()));
    }

    String markdown(String date) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Measured %s on %s (%s cores, JDK %s); %,d events of ~600 B in %s partitions, %s repetitions after a"
                        + " warm-up, order randomised.%n%n",
                date,
                machine.get("host"),
                machine.get("cores"),
                machine.get("jdk"),
                settings.get("events"),
                settings.get("partitions"),
                settings.get("repetitions")));
        md.append("| contender | events/s min | median | max | events/s per core (median) | batch processing ms"
                + " (median of medians) | heap peak MB (max) | outputs |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Summary s : summaries()) {
            List<RunFigures> measured = runs.stream()
                    .filter(r -> !r.warmUp() && r.contender().equals(s.contender()))
                    .toList();
            double delay = Summary.median(measured.stream()
                    .mapToDouble(RunFigures::processingDelayMedianMs)
                    .toArray());
            long heap =
                    measured.stream().mapToLong(RunFigures::heapPeakMb).max().orElse(0);
            String outputs =
                    measured.stream().allMatch(r -> r.exact() == null) ? "not checked" : s.exact() ? "exact" : "WRONG";
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %s | %s | %s |%n",
                    s.contender(),
                    s.min(),
                    s.median(),
                    s.max(),
                    s.perCoreMedian(),
                    delay > 0 ? String.format(Locale.ROOT, "%,.0f", delay) : "-",
                    heap < 0 ? "-" : String.format(Locale.ROOT, "%,d", heap), // -1: a process of its own
                    outputs));
        }
        md.append('\n');
        md.append(costTable());
        md.append(archiveTable());
        for (String peer : RATIO_PEERS) {
            ratio("sluice-full", peer)
                    .ifPresent(r ->
                            md.append(String.format(Locale.ROOT, "- `sluice-full / %s` (per core): %.2f%n", peer, r)));
        }
        if (!latencies.isEmpty()) {
            md.append("\nEnd-to-end latency at half the median throughput (send to committed batch):\n\n");
            md.append("| contender | paced events/s | events | p50 ms | p99 ms | max ms |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (LatencyFigures l : latencies) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %,d | %,d | %,d | %,d |%n",
                        l.contender(),
                        l.eventsPerSecond(),
                        l.events(),
                        l.p50Ms(),
                        l.p99Ms(),
                        l.maxMs()));
            }
        }
        if (!micro.isEmpty()) {
            md.append("\nJMH micro-benchmarks, one thread, operations per second:\n\n");
            md.append("| function | ops/s |\n|---|---:|\n");
            micro.forEach((name, ops) -> md.append(String.format(Locale.ROOT, "| `%s` | %,.0f |%n", name, ops)));
        }
        return md.toString();
    }

    /**
     * What each contender's measured runs cost, medians over the runs: the steady rate after the ramp (the first
     * {@link RunMeter#RAMP_SHARE} of the events) and the ramp's length, the events per CPU-second of the benchmark's JVM
     * (where the contender runs), the CPU microseconds HBase and Kafka spent per event, the machine's utilisation, and
     * for Sluice how its written batches split between their tasks and the driver's serial part after them.
     */
    String costTable() {
        StringBuilder md = new StringBuilder();
        md.append("What the runs cost (medians; CPU from /proc, the machine's utilisation over all its cores):\n\n");
        md.append(
                "| contender | steady events/s | ramp s | events per pipeline CPU-s | pipeline CPU-s | HBase CPU"
                        + " µs/event | Kafka CPU µs/event | machine busy | batch tasks / driver ms | driver's serial share |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : summaries()) {
            List<RunFigures> measured = runs.stream()
                    .filter(r -> !r.warmUp() && r.contender().equals(s.contender()) && r.cost() != null)
                    .toList();
            if (measured.isEmpty()) {
                continue;
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    s.contender(),
                    figure(median(measured, r -> r.cost().steadyEventsPerSecond()), "%,.0f"),
                    figure(median(measured, r -> r.cost().rampSeconds()), "%.1f"),
                    figure(median(measured, r -> r.cost().eventsPerCpuSecond("pipeline", r.events())), "%,.0f"),
                    figure(median(measured, r -> r.cost().cpuSeconds().getOrDefault("pipeline", Double.NaN)), "%.1f"),
                    figure(median(measured, r -> r.cost().cpuMicrosPerEvent("hbase", r.events())), "%.1f"),
                    figure(median(measured, r -> r.cost().cpuMicrosPerEvent("kafka", r.events())), "%.1f"),
                    figure(median(measured, r -> 100 * r.cost().machineUtilisation()), "%.0f %%"),
                    phase(measured, "tasks-median") + " / " + phase(measured, "driver-median"),
                    figure(median(measured, BenchReport::driverShare), "%.0f %%")));
        }
        md.append('\n');
        return md.toString();
    }

    /**
     * The calibration {@code ./bin/sluice plan --calibration} reads, from {@code sluice-full}'s measured runs
     * (medians): events per CPU-second of the pipeline's own process, and the CPU microseconds HBase and Kafka (one
     * replica) spent per event. A figure a run could not measure is left out, and the plan falls back on its default.
     */
    String calibration(String date) {
        List<RunFigures> measured = runs.stream()
                .filter(r -> !r.warmUp() && r.contender().equals("sluice-full") && r.cost() != null)
                .toList();
        StringBuilder file = new StringBuilder("# measured by ./bin/sluice bench on " + date + " ("
                + machine.get("host") + ", sluice-full, medians of the measured runs)\n");
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(CALIBRATION_KEY, median(measured, r -> r.cost().eventsPerCpuSecond("pipeline", r.events())));
        figures.put("sluice.calibration.hbase-cpu-us-per-event", median(measured, r -> r.cost()
                .cpuMicrosPerEvent("hbase", r.events())));
        figures.put("sluice.calibration.kafka-cpu-us-per-event", median(measured, r -> r.cost()
                .cpuMicrosPerEvent("kafka", r.events())));
        figures.put("sluice.calibration.archive-bytes-per-event", median(measured, r -> bytes(r, "archive")));
        figures.put(
                "sluice.calibration.archive-written-bytes-per-event",
                median(measured, r -> bytes(r, "archive-written")));
        figures.put("sluice.calibration.event-store-bytes-per-event", median(measured, r -> bytes(r, "event-store")));
        figures.forEach((key, value) -> {
            if (!Double.isNaN(value) && value > 0) {
                file.append(key)
                        .append('=')
                        .append(String.format(Locale.ROOT, "%.1f", value))
                        .append('\n');
            }
        });
        return file.toString();
    }

    /**
     * The archive of each Sluice contender, medians over its measured runs: its primary root's files as the batches
     * landed them and once every hour was compacted, bytes per event landed, kept and written, and the compression
     * ratio (bytes kept over the workload's event bytes). A replica root holds and writes the same.
     */
    String archiveTable() {
        double eventBytes = settings.get("event_bytes") instanceof Number n ? n.doubleValue() : Double.NaN;
        StringBuilder md = new StringBuilder();
        for (Summary s : summaries()) {
            List<RunFigures> measured = runs.stream()
                    .filter(r -> !r.warmUp() && r.contender().equals(s.contender()) && r.archive() != null)
                    .toList();
            if (measured.isEmpty()) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("The archive per root (the primary; a replica copies the same files), every hour compacted"
                        + " after the run, as the driver compacts a final hour (in this JVM, one thread; the runs"
                        + " themselves compact nothing):\n\n");
                md.append("| contender | hours | files landed | files compacted | B/event landed | B/event kept |"
                        + " B/event written | compression ratio | compaction s |\n");
                md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            }
            double kept = median(measured, r -> bytes(r, "archive"));
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    s.contender(),
                    figure(median(measured, r -> r.archive().hours()), "%,.0f"),
                    figure(median(measured, r -> r.archive().landedFiles()), "%,.0f"),
                    figure(median(measured, r -> r.archive().compactedFiles()), "%,.0f"),
                    figure(median(measured, r -> bytes(r, "archive-landed")), "%.1f"),
                    figure(kept, "%.1f"),
                    figure(median(measured, r -> bytes(r, "archive-written")), "%.1f"),
                    figure(kept / eventBytes, "%.3f"),
                    figure(median(measured, r -> r.archive().compactionSeconds()), "%.1f")));
        }
        return md.isEmpty() ? "" : md.append('\n').toString();
    }

    /** The median over {@code runs} of a batch-phase figure ({@link RunFigures#batchPhasesMs}), or "-". */
    private static String phase(List<RunFigures> runs, String key) {
        return figure(
                median(
                        runs,
                        r -> r.batchPhasesMs() == null || !r.batchPhasesMs().containsKey(key)
                                ? Double.NaN
                                : r.batchPhasesMs().get(key)),
                "%,.0f");
    }

    /** The share (%) of a run's written batches' time that was the driver's serial part. */
    private static double driverShare(RunFigures run) {
        Map<String, Long> p = run.batchPhasesMs();
        if (p == null || !p.containsKey("driver-total")) {
            return Double.NaN;
        }
        long total = p.get("tasks-total") + p.get("driver-total");
        return total == 0 ? Double.NaN : 100.0 * p.get("driver-total") / total;
    }

    private static double bytes(RunFigures run, String sink) {
        return run.bytesPerEvent() == null ? Double.NaN : run.bytesPerEvent().getOrDefault(sink, Double.NaN);
    }

    private static double median(List<RunFigures> runs, java.util.function.ToDoubleFunction<RunFigures> figure) {
        double[] values =
                runs.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
        return values.length == 0 ? Double.NaN : Summary.median(values);
    }

    private static String figure(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /**
     * Horizontal bars of the median events/s per core, with the min-max range of each contender, and below them the
     * paced latency (p50 bar, line to p99) of the contenders that have one.
     */
    String svg() {
        List<Summary> summaries = summaries();
        double top = summaries.stream()
                .mapToDouble(s -> s.max() / coresOf(s.contender()))
                .max()
                .orElse(1);
        int rowHeight = 34;
        int width = 760;
        int left = 170;
        int plot = width - left - 120;
        int latencyRows = latencies.size();
        int height = 50 + rowHeight * summaries.size() + 30 + (latencyRows == 0 ? 0 : 40 + rowHeight * latencyRows);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"13\">%n",
                width,
                height));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"10\" y=\"22\" font-size=\"15\">Events/s per core (median, min-max), %s</text>%n",
                machine.get("host")));
        int y = 45;
        for (Summary s : summaries) {
            int cores = coresOf(s.contender());
            double median = s.perCoreMedian() / top * plot;
            double min = s.min() / cores / top * plot;
            double max = s.max() / cores / top * plot;
            svg.append(String.format(
                    Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + rowHeight / 2, s.contender()));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    left,
                    y + 6,
                    median,
                    rowHeight - 14,
                    s.contender().startsWith("sluice") ? "#2b7bb9" : "#999999"));
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                    left + min,
                    left + max,
                    y + rowHeight / 2,
                    y + rowHeight / 2));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%,.0f</text>%n",
                    left + Math.max(median, max) + 8,
                    y + rowHeight / 2 + 4,
                    s.perCoreMedian()));
            y += rowHeight;
        }
        if (latencyRows > 0) {
            long longest =
                    latencies.stream().mapToLong(LatencyFigures::p99Ms).max().orElse(1);
            y += 30;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"10\" y=\"%d\" font-size=\"15\">End-to-end latency at half the median throughput,"
                            + " ms (bar p50, line to p99)</text>%n",
                    y));
            y += 10;
            for (LatencyFigures l : latencies) {
                double p50 = (double) l.p50Ms() / longest * plot;
                double p99 = (double) l.p99Ms() / longest * plot;
                svg.append(String.format(
                        Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + rowHeight / 2, l.contender()));
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        left,
                        y + 6,
                        p50,
                        rowHeight - 14,
                        l.contender().startsWith("sluice") ? "#2b7bb9" : "#999999"));
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                        left + p50,
                        left + p99,
                        y + rowHeight / 2,
                        y + rowHeight / 2));
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\">%,d / %,d</text>%n",
                        left + p99 + 8,
                        y + rowHeight / 2 + 4,
                        l.p50Ms(),
                        l.p99Ms()));
                y += rowHeight;
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private int coresOf(String contender) {
        return runs.stream()
                .filter(r -> r.contender().equals(contender))
                .mapToInt(RunFigures::cores)
                .findFirst()
                .orElse(1);
    }

    /** Writes {@code <name>.json}, {@code .md} and {@code .svg} under {@code dir}; returns the markdown's path. */
    static Path writeFiles(Path dir, String name, Map<String, Object> json, String markdown, String svg)
            throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(name + ".json").toFile(), json);
        Path md = dir.resolve(name + ".md");
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
        return md;
    }

    /** Writes JSON, markdown, SVG and (when sluice-full ran exactly) the calibration; returns the markdown path. */
    Path write(Path dir, String stamp, String date) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date);
        json.put("machine", machine);
        json.put("settings", settings);
        json.put("summaries", summaries());
        for (String peer : RATIO_PEERS) {
            ratio("sluice-full", peer).ifPresent(r -> json.put("sluice_full_over_" + peer.replace('-', '_'), r));
        }
        json.put("runs", runs);
        json.put("latencies", latencies);
        json.put("jmh_ops_per_second", micro);
        Path md = writeFiles(dir, stamp, json, markdown(date), svg());
        Optional<Summary> full = summary("sluice-full");
        if (full.isPresent() && full.get().exact()) {
            Files.writeString(
                    dir.resolve(stamp + ".calibration.properties"), calibration(date), StandardCharsets.UTF_8);
        }
        return md;
    }
}
