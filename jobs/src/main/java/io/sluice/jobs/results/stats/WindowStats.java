package io.sluice.jobs.results.stats;

import java.util.Map;

/**
 * One variation in one count window.
 *
 * @param events by event type
 * @param visitors distinct users in the window
 * @param newVisitors users first counted in this window
 * @param conversion conversions over the window's visitors (its impressions while no visitors are counted)
 * @param revision the late events the window counts, each a revision of it (0: never revised)
 */
public record WindowStats(
        long windowStart,
        Map<String, Long> events,
        long visitors,
        long newVisitors,
        ConversionRate conversion,
        long revision) {
    public WindowStats {
        events = Map.copyOf(events);
    }
}
