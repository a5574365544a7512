package io.sluice.capacity.chart;

import io.sluice.capacity.model.CapacityModel;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.PlanInput;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An SVG line chart of the nodes each resource needs against the event rate, every other input fixed, so the
 * crossover points where another resource starts to bind are visible. One {@code <polyline class="series">} per
 * resource of the plan (attribute {@code data-resource} = the resource's key), a dashed line at the planned rate.
 */
public final class NodesChart {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int W = 800;
    private static final int H = 460;
    private static final int LEFT = 60;
    private static final int RIGHT = 170;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final int PLOT_W = W - LEFT - RIGHT;
    private static final int PLOT_H = H - TOP - BOTTOM;

    private NodesChart() {}

    /** The chart from a tenth of the planned rate to twice it (100k to 2M events/s for the reference case). */
    public static String svg(PlanInput planned) {
        double rate = planned.workload().eventsPerSecond();
        return svg(planned, rate / 10, rate * 2, 38);
    }

    /** The chart over {@code steps + 1} rates from {@code fromRate} to {@code toRate}. */
    public static String svg(PlanInput planned, double fromRate, double toRate, int steps) {
        List<Double> rates = new ArrayList<>();
        Map<Resource, List<Integer>> series = new LinkedHashMap<>();
        int maxNodes = 1;
        for (int i = 0; i <= steps; i++) {
            double rate = fromRate + (toRate - fromRate) * i / steps;
            rates.add(rate);
            for (Requirement r :
                    CapacityModel.plan(planned.withEventsPerSecond(rate)).requirements()) {
                series.computeIfAbsent(r.resource(), k -> new ArrayList<>()).add(r.nodes());
                maxNodes = Math.max(maxNodes, r.nodes());
            }
        }
        Plan plan = CapacityModel.plan(planned);
        int step = (int) niceStep(maxNodes, 8);
        int yMax = step * (int) Math.ceil((double) maxNodes / step);
        StringBuilder svg = new StringBuilder();
        add(
                svg,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">",
                W,
                H,
                W,
                H);
        add(svg, "<title>Nodes needed per resource vs. event rate</title>");
        add(svg, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>", W, H);
        add(svg, "<text x=\"%d\" y=\"20\" font-size=\"15\">Nodes needed per resource vs. event rate</text>", LEFT);
        add(
                svg,
                "<text x=\"%d\" y=\"38\" fill=\"#555\">%s B events; %d cores, %s Gbit/s, %s MB/s disk per node;"
                        + " planned: %s</text>",
                LEFT,
                num(planned.workload().eventBytes()),
                planned.node().cores(),
                num(planned.node().nicGbps()),
                num(planned.node().diskMBps()),
                escape(plan.nodes() + " nodes, " + plan.binding().label() + " binds"));
        for (int n = 0; n <= yMax; n += step) {
            double y = y(n, yMax);
            add(
                    svg,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>",
                    LEFT,
                    y,
                    LEFT + PLOT_W,
                    y);
            add(svg, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>", LEFT - 6, y + 4, n);
        }
        double rateStep = niceStep(toRate - fromRate, 6);
        for (double rate = Math.ceil(fromRate / rateStep) * rateStep; rate <= toRate; rate += rateStep) {
            double x = x(rate, fromRate, toRate);
            add(
                    svg,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>",
                    x,
                    TOP + PLOT_H,
                    x,
                    TOP + PLOT_H + 4);
            add(
                    svg,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x,
                    TOP + PLOT_H + 18,
                    rateLabel(rate));
        }
        add(
                svg,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>",
                LEFT,
                TOP + PLOT_H,
                LEFT + PLOT_W,
                TOP + PLOT_H);
        add(svg, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", LEFT, TOP, LEFT, TOP + PLOT_H);
        add(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">events per second</text>", LEFT + PLOT_W / 2, H - 10);
        add(
                svg,
                "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">nodes</text>",
                TOP + PLOT_H / 2,
                TOP + PLOT_H / 2);
        double plannedRate = planned.workload().eventsPerSecond();
        if (plannedRate >= fromRate && plannedRate <= toRate) {
            double px = x(plannedRate, fromRate, toRate);
            add(
                    svg,
                    "<line class=\"planned\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#777\""
                            + " stroke-dasharray=\"4 4\"/>",
                    px,
                    TOP,
                    px,
                    TOP + PLOT_H);
            add(
                    svg,
                    "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">planned %s/s: %d nodes</text>",
                    px + 4,
                    TOP + 12,
                    rateLabel(plannedRate),
                    plan.nodes());
        }
        int c = 0;
        for (Map.Entry<Resource, List<Integer>> s : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < rates.size(); i++) {
                points.append(String.format(
                        Locale.ROOT,
                        "%.1f,%.1f ",
                        x(rates.get(i), fromRate, toRate),
                        y(s.getValue().get(i), yMax)));
            }
            add(
                    svg,
                    "<polyline class=\"series\" data-resource=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
                            + " points=\"%s\"/>",
                    s.getKey().key(),
                    color,
                    points.toString().trim());
            int ly = TOP + 10 + 20 * c;
            add(
                    svg,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>",
                    W - RIGHT + 15,
                    ly,
                    W - RIGHT + 35,
                    ly,
                    color);
            add(
                    svg,
                    "<text x=\"%d\" y=\"%d\">%s</text>",
                    W - RIGHT + 40,
                    ly + 4,
                    escape(s.getKey().label()));
            c++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double x(double rate, double from, double to) {
        return LEFT + PLOT_W * (rate - from) / (to - from);
    }

    private static double y(int nodes, int yMax) {
        return TOP + PLOT_H - PLOT_H * (double) nodes / yMax;
    }

    /** 1, 2 or 5 times a power of ten (at least 1), so that {@code max} spans at most {@code ticks} steps. */
    static double niceStep(double max, int ticks) {
        double step = 1;
        while (true) {
            for (int m : new int[] {1, 2, 5}) {
                if (max / (step * m) <= ticks) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    private static String rateLabel(double rate) {
        return rate >= 1e6
                ? String.format(Locale.ROOT, "%.2fM", rate / 1e6).replaceAll("\\.?0+M$", "M")
                : rate >= 1e3
                        ? String.format(Locale.ROOT, "%.0fk", rate / 1e3)
                        : String.format(Locale.ROOT, "%.0f", rate);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static void add(StringBuilder svg, String format, Object... args) {
        svg.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
