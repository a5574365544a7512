package io.sluice.bench;

import io.sluice.testkit.generator.Shape;
import io.sluice.testkit.server.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bin/sluice bench --curves}: how {@code sluice-full}'s throughput and cost per event change along four
 * dimensions, one at a time from the reference point (4 partitions, 2-s batches, ~600-byte events, 40 experiments):
 * partitions (4 to 64, the same 80,000 events per batch in all), batch interval (1 to 10 s, at the same rate cap per
 * partition, so batches grow with the interval), event size (300 B to 6 KB, at the same bytes per batch and per run)
 * and the results' cardinality (10 to 100,000 experiments: the driver merges every open window's sums), with the
 * driver's results state (open count cells and their heap) at the end of each run. Each point is one run on a topic
 * of its own, checked against its ground truth like every Sluice run, after one discarded warm-up run.
 */
final class Curves {
    /** Events per batch at the reference point: 4 partitions x 10,000 events/s x 2 s. */
    private static final long REFERENCE_BATCH_EVENTS = 80_000;

    private static final int REFERENCE_BYTES = 600;

    /** One point of a curve: the dimension, its value, and what the run did. */
    record Point(
            String dimension,
            long value,
            int partitions,
            long batchIntervalMs,
            long maxRatePerPartition,
            Shape shape,
            long events,
            double meanEventBytes,
            double eventsPerSecond,
            double megabytesPerSecond,
            double steadyEventsPerSecond,
            double eventsPerPipelineCpuSecond,
            double hbaseCpuMicrosPerEvent,
            double kafkaCpuMicrosPerEvent,
            double machineUtilisation,
            long batches,
            long resultsOpenCells,
            long resultsStateBytes,
            boolean exact,
            String check) {}

    private record Setting(
            String dimension, long value, int partitions, long intervalMs, long ratePerPartition, Shape shape) {}

    private Curves() {}

    /** What {@link #run} wrote ({@code <stamp>-curves.md}, next to its .json and .svg), and whether every point was exact. */
    record Written(Path markdown, boolean exact) {}

    /** Runs every point and writes {@code <stamp>-curves.{json,md,svg}} under {@code out}. */
    static Written run(
            EmbeddedKafka kafka,
            BenchContext base,
            long events,
            long seed,
            Path out,
            String stamp,
            String date,
            Map<String, Object> machine)
            throws Exception {
        List<Setting> settings = new ArrayList<>();
        for (int p : new int[] {4, 8, 16, 32, 64}) {
            settings.add(new Setting("partitions", p, p, 2000, REFERENCE_BATCH_EVENTS / 2 / p, Shape.DEFAULT));
        }
        for (long interval : new long[] {1000, 2000, 5000, 10_000}) {
            settings.add(new Setting("batch_interval_ms", interval, 4, interval, 10_000, Shape.DEFAULT));
        }
        for (int bytes : new int[] {300, 600, 1500, 6000}) {
            settings.add(new Setting(
                    "event_bytes",
                    bytes,
                    4,
                    2000,
                    Math.max(1, 10_000L * REFERENCE_BYTES / bytes),
                    new Shape(Shape.DEFAULT.experiments(), bytes)));
        }
        for (int experiments : new int[] {10, 1_000, 10_000, 100_000}) {
            settings.add(new Setting("experiments", experiments, 4, 2000, 10_000, new Shape(experiments, 0)));
        }
        SluiceContender sluice = new SluiceContender(SluiceContender.Mode.FULL);
        List<Point> points = new ArrayList<>();
        System.out.println("bench: curves: a warm-up run, then " + settings.size() + " points");
        run(kafka, base, sluice, new Setting("warm-up", 0, 4, 2000, 10_000, Shape.DEFAULT), events, seed, -1);
        int n = 0;
        for (Setting s : settings) {
            long count = s.dimension().equals("event_bytes")
                    ? Math.max(20_000, events * REFERENCE_BYTES / s.shape().eventBytes())
                    : events;
            Point point = run(kafka, base, sluice, s, count, seed, n++);
            points.add(point);
            System.out.printf(
                    Locale.ROOT,
                    "bench: curve %-17s %,7d: %,9.0f events/s (%5.1f MB/s), %,7.0f events per pipeline CPU-s,"
                            + " HBase %5.1f us/event, results %,d cells %,d KB, %s%n",
                    point.dimension(),
                    point.value(),
                    point.eventsPerSecond(),
                    point.megabytesPerSecond(),
                    point.eventsPerPipelineCpuSecond(),
                    point.hbaseCpuMicrosPerEvent(),
                    point.resultsOpenCells(),
                    point.resultsStateBytes() / 1024,
                    point.check());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date);
        json.put("machine", machine);
        json.put("events_per_point", events);
        json.put("points", points);
        Path md = BenchReport.writeFiles(
                out, stamp + "-curves", json, markdown(points, date, machine, events), svg(points));
        return new Written(md, points.stream().allMatch(Point::exact));
    }

    private static Point run(
            EmbeddedKafka kafka,
            BenchContext base,
            SluiceContender sluice,
            Setting s,
            long events,
            long seed,
            int index)
            throws Exception {
        String topic = "curve-" + s.dimension().replace('_', '-') + "-" + s.value();
        Workload workload = Workload.preload(kafka, topic, s.partitions(), events, seed, s.shape());
        BenchContext context = new BenchContext(
                base.workDir(),
                base.zookeeperConnect(),
                base.bootstrapServers(),
                base.hbaseQuorum(),
                base.hbasePort(),
                workload,
                s.ratePerPartition(),
                s.intervalMs(),
                base.cores(),
                base.servers(),
                base.resultsVisitors());
        RunFigures run = sluice.run(context, 100 + index, index < 0);
        Map<String, Long> results = sluice.lastResultsGauges();
        double bytes = workload.meanEventBytes();
        RunMeter.Cost cost = run.cost();
        return new Point(
                s.dimension(),
                s.value(),
                s.partitions(),
                s.intervalMs(),
                s.ratePerPartition(),
                s.shape(),
                events,
                bytes,
                run.eventsPerSecond(),
                run.eventsPerSecond() * bytes / 1e6,
                cost.steadyEventsPerSecond(),
                cost.eventsPerCpuSecond("pipeline", events),
                cost.cpuMicrosPerEvent("hbase", events),
                cost.cpuMicrosPerEvent("kafka", events),
                cost.machineUtilisation(),
                run.batches(),
                results.getOrDefault("open-cells", -1L),
                results.getOrDefault("state-bytes", -1L),
                Boolean.TRUE.equals(run.exact()),
                run.check());
    }

    static String markdown(List<Point> points, String date, Map<String, Object> machine, long events) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Scaling curves of `sluice-full`, measured %s on %s (%s cores, JDK %s); %,d events per point (the"
                        + " event-size points: the same bytes), one run each after a warm-up. Each dimension moves"
                        + " alone from 4 partitions, 2-s batches, ~600-byte events, 40 experiments.%n%n",
                date,
                machine.get("host"),
                machine.get("cores"),
                machine.get("jdk"),
                events));
        String dimension = null;
        for (Point p : points) {
            if (!p.dimension().equals(dimension)) {
                dimension = p.dimension();
                md.append(String.format(
                        Locale.ROOT,
                        "%n| %s | events/s | MB/s | steady events/s | events per pipeline CPU-s | HBase CPU µs/event |"
                                + " Kafka CPU µs/event | machine busy | batches | results open cells | results"
                                + " state KB | outputs |%n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|%n",
                        dimension));
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,.0f | %.1f | %,.0f | %,.0f | %.1f | %.1f | %.0f %% | %d | %,d | %,d | %s |%n",
                    p.value(),
                    p.eventsPerSecond(),
                    p.megabytesPerSecond(),
                    p.steadyEventsPerSecond(),
                    p.eventsPerPipelineCpuSecond(),
                    p.hbaseCpuMicrosPerEvent(),
                    p.kafkaCpuMicrosPerEvent(),
                    p.machineUtilisation() * 100,
                    p.batches(),
                    p.resultsOpenCells(),
                    p.resultsStateBytes() / 1024,
                    p.exact() ? "exact" : "WRONG"));
        }
        return md.toString();
    }

    /** One panel per dimension: events/s (line) over the dimension's values, evenly spaced. */
    static String svg(List<Point> points) {
        Map<String, List<Point>> byDimension = new LinkedHashMap<>();
        points.forEach(p -> byDimension
                .computeIfAbsent(p.dimension(), d -> new ArrayList<>())
                .add(p));
        int panelWidth = 360;
        int panelHeight = 220;
        int width = panelWidth * 2;
        int height = 40 + panelHeight * ((byDimension.size() + 1) / 2);
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"12\">%n<text x=\"10\" y=\"22\" font-size=\"15\">sluice-full events/s along"
                        + " each dimension</text>%n",
                width,
                height));
        int k = 0;
        for (Map.Entry<String, List<Point>> e : byDimension.entrySet()) {
            int x0 = (k % 2) * panelWidth + 60;
            int y0 = 40 + (k / 2) * panelHeight;
            int w = panelWidth - 90;
            int h = panelHeight - 70;
            List<Point> curve = e.getValue();
            double top =
                    curve.stream().mapToDouble(Point::eventsPerSecond).max().orElse(1);
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n"
                            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n"
                            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n"
                            + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%,.0f</text>%n",
                    x0,
                    y0 + 16,
                    e.getKey(),
                    x0,
                    y0 + 24,
                    x0,
                    y0 + 24 + h,
                    x0,
                    y0 + 24 + h,
                    x0 + w,
                    y0 + 24 + h,
                    x0 - 4,
                    y0 + 30,
                    top));
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < curve.size(); i++) {
                Point p = curve.get(i);
                double x = x0 + (curve.size() == 1 ? w / 2.0 : i * (double) w / (curve.size() - 1));
                double y = y0 + 24 + h - p.eventsPerSecond() / top * h;
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n"
                                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n",
                        x,
                        y,
                        p.exact() ? "#2b7bb9" : "#d62728",
                        x,
                        y0 + 24 + h + 16,
                        p.value()));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"#2b7bb9\" stroke-width=\"2\"/>%n",
                    line.toString().trim()));
            k++;
        }
        return svg.append("</svg>\n").toString();
    }
}
