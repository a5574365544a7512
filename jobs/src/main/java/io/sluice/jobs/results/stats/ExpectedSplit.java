package io.sluice.jobs.results.stats;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.results.ExperimentKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The planned split of an experiment's visitors over its variations, as weights (any positive numbers: {@code 50,50},
 * {@code 1,1} and {@code 0.5,0.5} are the same split).
 *
 * @param weights by variation id, in the order given; at least two
 */
public record ExpectedSplit(Map<String, Double> weights) {
    /** The form {@link #parse} reads, for messages. */
    public static final String FORM = "ACCOUNT/EXPERIMENT=VARIATION:WEIGHT,VARIATION:WEIGHT[,...] (two or more"
            + " distinct variations, positive weights), e.g. acct-0/exp-1=var-0:50,var-1:50";

    public ExpectedSplit {
        if (weights.size() < 2) {
            throw new IllegalArgumentException("a split needs at least two variations, got " + weights.keySet());
        }
        weights.forEach((v, w) -> {
            if (!(w > 0) || w.isInfinite()) {
                throw new IllegalArgumentException("the weight of " + v + " must be positive, got " + w);
            }
        });
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** The same weight for each of {@code variations} (the default when none is configured). */
    public static ExpectedSplit equal(Collection<String> variations) {
        Map<String, Double> w = new LinkedHashMap<>();
        variations.forEach(v -> w.put(v, 1.0));
        return new ExpectedSplit(w);
    }

    /** The share of {@code variation} in [0, 1]; 0 for a variation the split does not name. */
    public double share(String variation) {
        double total =
                weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return weights.getOrDefault(variation, 0.0) / total;
    }

    /**
     * Reads one configured split, {@code ACCOUNT/EXPERIMENT=VARIATION:WEIGHT,...}.
     *
     * @param source how the user gave it, for messages (e.g. {@code --split})
     * @throws ConfigException naming {@code source}, the experiment and the expected {@link #FORM}
     */
    public static Map.Entry<ExperimentKey, ExpectedSplit> parse(String source, String entry) {
        int eq = entry.indexOf('=');
        String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
        String named = source + " " + (key.isEmpty() ? "'" + entry + "'" : key);
        if (eq < 0) {
            throw new ConfigException(named + ": no '=' in '" + entry + "'; expected " + FORM);
        }
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
            throw new ConfigException(named + ": '" + key + "' is not ACCOUNT/EXPERIMENT; expected " + FORM);
        }
        ExperimentKey experiment = new ExperimentKey(key.substring(0, slash), key.substring(slash + 1));
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String part : entry.substring(eq + 1).split(",", -1)) {
            int colon = part.lastIndexOf(':');
            String variation = colon < 0 ? "" : part.substring(0, colon).trim();
            if (variation.isEmpty()) {
                throw new ConfigException(named + ": '" + part.trim() + "' is not VARIATION:WEIGHT; expected " + FORM);
            }
            double weight;
            try {
                weight = Double.parseDouble(part.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                weight = Double.NaN;
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new ConfigException(named + ": the weight of " + variation + " must be a positive number, got '"
                        + part.substring(colon + 1).trim() + "'; expected " + FORM);
            }
            if (weights.put(variation, weight) != null) {
                throw new ConfigException(named + ": " + variation + " is given twice; expected " + FORM);
            }
        }
        if (weights.size() < 2) {
            throw new ConfigException(named + ": one variation only; expected " + FORM);
        }
        return Map.entry(experiment, new ExpectedSplit(weights));
    }
}
