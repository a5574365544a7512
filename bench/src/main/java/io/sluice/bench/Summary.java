package io.sluice.bench;

import java.util.Arrays;
import java.util.List;

/** Min, median and max of one contender's measured (not warm-up) runs. */
record Summary(String contender, int runs, double min, double median, double max, double perCoreMedian, boolean exact) {
    static Summary of(String contender, List<RunFigures> runs) {
        double[] rates =
                runs.stream().mapToDouble(RunFigures::eventsPerSecond).sorted().toArray();
        double[] perCore = runs.stream()
                .mapToDouble(RunFigures::eventsPerSecondPerCore)
                .sorted()
                .toArray();
        boolean exact = runs.stream().noneMatch(r -> Boolean.FALSE.equals(r.exact()));
        return new Summary(
                contender, rates.length, rates[0], median(rates), rates[rates.length - 1], median(perCore), exact);
    }

    static double median(double[] sorted) {
        double[] s = sorted.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
