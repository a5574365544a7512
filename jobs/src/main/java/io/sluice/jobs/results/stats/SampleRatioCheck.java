package io.sluice.jobs.results.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sample ratio mismatch (SRM) check of one experiment: are its visitors split over the variations as planned? A
 * chi-square goodness-of-fit test of the visitors per variation against the expected shares; a mismatch is flagged
 * when its p-value is below the threshold. A mismatch means the assignment or the counting is broken, so the
 * experiment's other results cannot be trusted.
 *
 * @param configured whether the shares are configured (else: equal over the variations seen)
 * @param expectedShares the share of each variation, summing to 1
 * @param observed the visitors of each variation (the split's variations first, then any it does not name)
 * @param expected the visitors each variation should have had, given the total
 * @param chiSquare the test statistic; null when there is no test (see {@code note})
 * @param degreesOfFreedom variations minus one; null when there is no test
 * @param pValue null when there is no test; 0 when visitors are in a variation the split does not name
 * @param mismatch {@code pValue < threshold}
 * @param note why there is no test, or what made it fail outright; null otherwise
 */
public record SampleRatioCheck(
        boolean configured,
        Map<String, Double> expectedShares,
        Map<String, Long> observed,
        Map<String, Double> expected,
        Double chiSquare,
        Integer degreesOfFreedom,
        Double pValue,
        double threshold,
        boolean mismatch,
        String note) {

    /**
     * @param visitors the visitors of each variation seen
     * @param split the configured split, if any
     */
    public static SampleRatioCheck of(Map<String, Long> visitors, Optional<ExpectedSplit> split, double threshold) {
        ExpectedSplit shares = split.orElseGet(
                () -> visitors.size() >= 2 ? ExpectedSplit.equal(new TreeMap<>(visitors).keySet()) : null);
        Map<String, Long> observed = new LinkedHashMap<>();
        if (shares != null) {
            shares.weights().keySet().forEach(v -> observed.put(v, visitors.getOrDefault(v, 0L)));
        }
        new TreeMap<>(visitors).forEach(observed::putIfAbsent);
        long total = observed.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> expectedShares = new LinkedHashMap<>();
        Map<String, Double> expected = new LinkedHashMap<>();
        if (shares != null) {
            shares.weights().keySet().forEach(v -> {
                expectedShares.put(v, shares.share(v));
                expected.put(v, total * shares.share(v));
            });
        }
        boolean configured = split.isPresent();
        if (shares == null) {
            return none(configured, expectedShares, observed, expected, threshold, "fewer than two variations seen");
        }
        if (total == 0) {
            return none(configured, expectedShares, observed, expected, threshold, "no visitors counted yet");
        }
        List<String> unplanned = new ArrayList<>();
        observed.forEach((v, n) -> {
            if (!shares.weights().containsKey(v) && n > 0) {
                unplanned.add(v);
            }
        });
        if (!unplanned.isEmpty()) {
            return new SampleRatioCheck(
                    configured,
                    expectedShares,
                    observed,
                    expected,
                    null,
                    null,
                    0.0,
                    threshold,
                    true,
                    "visitors in variations the split does not name: " + unplanned);
        }
        long[] counts = new long[shares.weights().size()];
        double[] weights = new double[counts.length];
        int i = 0;
        for (Map.Entry<String, Double> w : shares.weights().entrySet()) {
            counts[i] = observed.get(w.getKey());
            weights[i++] = w.getValue();
        }
        GoodnessOfFit fit = GoodnessOfFit.test(counts, weights);
        return new SampleRatioCheck(
                configured,
                expectedShares,
                observed,
                expected,
                fit.statistic(),
                fit.degreesOfFreedom(),
                fit.pValue(),
                threshold,
                fit.pValue() < threshold,
                null);
    }

    private static SampleRatioCheck none(
            boolean configured,
            Map<String, Double> expectedShares,
            Map<String, Long> observed,
            Map<String, Double> expected,
            double threshold,
            String note) {
        return new SampleRatioCheck(
                configured, expectedShares, observed, expected, null, null, null, threshold, false, note);
    }
}
