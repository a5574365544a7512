package io.sluice.capacity.cli;

import io.sluice.capacity.model.CapacityModel;
import io.sluice.capacity.model.Plan;
import io.sluice.capacity.model.PlanInput;
import io.sluice.capacity.model.Requirement;
import io.sluice.capacity.model.Resource;
import io.sluice.capacity.model.Workload;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An SVG line chart of the nodes each resource needs against the event rate (100k to 2M events/s by default), with
 * the plan's other inputs fixed, so the crossover points where another resource starts to bind are visible.
 */
final class NodesChart {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    private static final int W = 760;
    private static final int H = 440;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private NodesChart() {}

    static String svg(PlanInput base, double fromRate, double toRate, int steps) {
        List<Double> rates = new ArrayList<>();
        Map<Resource, List<Integer>> series = new EnumMap<>(Resource.class);
        int maxNodes = 1;
        for (int i = 0; i <= steps; i++) {
            double rate = fromRate + (toRate - fromRate) * i / steps;
            rates.add(rate);
            Workload w = new Workload(rate, base.workload().eventBytes(), base.workload().peakFactor());
            Plan plan = CapacityModel.plan(new PlanInput(w, base.node(), base.pipeline(), base.calibration(),
                    base.headroom(), base.networkAndDiskOnly()));
            for (Requirement r : plan.requirements()) {
                series.computeIfAbsent(r.resource(), k -> new ArrayList<>()).add(r.nodes());
                maxNodes = Math.max(maxNodes, r.nodes());
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        svg.append(String.format("<text x=\"%d\" y=\"22\" font-size=\"14\">Nodes needed per resource vs. event rate"
                + " (%s B events)</text>%n", LEFT, (long) base.workload().eventBytes()));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + plotH,
                LEFT + plotW, TOP + plotH));
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT,
                TOP + plotH));
        for (int t = 0; t <= 4; t++) {
            double rate = fromRate + (toRate - fromRate) * t / 4;
            int x = LEFT + plotW * t / 4;
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 18,
                    rate >= 1e6 ? String.format("%.1fM", rate / 1e6) : String.format("%.0fk", rate / 1e3)));
            int nodes = (int) Math.round((double) maxNodes * t / 4);
            int y = TOP + plotH - plotH * t / 4;
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 6, y + 4, nodes));
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">events per second</text>%n",
                LEFT + plotW / 2, H - 12));
        int c = 0;
        for (Map.Entry<Resource, List<Integer>> s : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < rates.size(); i++) {
                double x = LEFT + plotW * (rates.get(i) - fromRate) / (toRate - fromRate);
                double y = TOP + plotH - plotH * (double) s.getValue().get(i) / maxNodes;
                points.append(String.format("%.1f,%.1f ", x, y));
            }
            svg.append(String.format("<polyline class=\"series\" data-resource=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\" points=\"%s\"/>%n", s.getKey().key(), color, points.toString().trim()));
            int ly = TOP + 10 + 18 * c;
            svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    W - RIGHT + 15, ly, W - RIGHT + 35, ly, color));
            svg.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>%n", W - RIGHT + 40, ly + 4, s.getKey().label()));
            c++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }
}
