package io.sluice.jobs.results.stats;

import java.util.List;
import java.util.Map;

/**
 * One variation over the experiment's lifetime.
 *
 * @param events by event type, over every window
 * @param visitors its unique visitors over the lifetime: the sum of every window's new visitors
 * @param conversion conversions over {@code visitors} (over impressions while no visitors are counted)
 * @param windows by window start
 */
public record VariationStats(
        String variationId,
        Map<String, Long> events,
        long totalEvents,
        long visitors,
        ConversionRate conversion,
        List<WindowStats> windows) {
    public VariationStats {
        events = Map.copyOf(events);
        windows = List.copyOf(windows);
    }
}
