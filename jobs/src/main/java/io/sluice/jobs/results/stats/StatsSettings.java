package io.sluice.jobs.results.stats;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.results.ExperimentKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How experiment statistics are computed.
 *
 * @param splits the configured split of each experiment; an experiment without one is expected to split equally over
 *     the variations seen
 * @param srmThreshold a sample ratio mismatch is flagged when the check's p-value is below this (default 0.001)
 * @param conversionType the event type counted as a conversion ({@code conversion})
 * @param fallbackType the event type used as the denominator when no visitors are counted ({@code impression})
 */
public record StatsSettings(
        Map<ExperimentKey, ExpectedSplit> splits, double srmThreshold, String conversionType, String fallbackType) {
    public static final double DEFAULT_SRM_THRESHOLD = 0.001;
    public static final StatsSettings DEFAULTS =
            new StatsSettings(Map.of(), DEFAULT_SRM_THRESHOLD, "conversion", "impression");

    public StatsSettings {
        if (!(srmThreshold > 0 && srmThreshold < 1)) {
            throw new IllegalArgumentException("the SRM threshold must be in (0, 1), got " + srmThreshold);
        }
        splits = Map.copyOf(splits);
    }

    /**
     * Settings from the {@code ACCOUNT/EXPERIMENT=VARIATION:WEIGHT,...} entries given as {@code source} (e.g.
     * {@code --split}) and a threshold given as {@code thresholdSource}.
     *
     * @throws ConfigException naming the option and the experiment, with the expected form
     */
    public static StatsSettings parse(String source, List<String> entries, String thresholdSource, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new ConfigException(
                    thresholdSource + ": expected a p-value threshold between 0 and 1 (exclusive), got " + threshold);
        }
        Map<ExperimentKey, ExpectedSplit> splits = new TreeMap<>();
        for (String entry : entries) {
            Map.Entry<ExperimentKey, ExpectedSplit> split = ExpectedSplit.parse(source, entry);
            if (splits.put(split.getKey(), split.getValue()) != null) {
                throw new ConfigException(source + " " + split.getKey().accountId() + "/"
                        + split.getKey().experimentId() + ": given twice");
            }
        }
        return new StatsSettings(splits, threshold, DEFAULTS.conversionType(), DEFAULTS.fallbackType());
    }

    public Optional<ExpectedSplit> split(ExperimentKey experiment) {
        return Optional.ofNullable(splits.get(experiment));
    }
}
