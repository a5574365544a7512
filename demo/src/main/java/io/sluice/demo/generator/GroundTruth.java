package io.sluice.demo.generator;

import java.util.HashSet;
import java.util.Set;

/** What a generator run of {@code count} events must produce: the valid event ids and the number of malformed ones. */
public record GroundTruth(long sent, Set<String> validIds, long malformed) {
    public static GroundTruth of(EventGenerator generator, long count) {
        Set<String> valid = new HashSet<>();
        long malformed = 0;
        for (long seq = 0; seq < count; seq++) {
            GeneratedEvent e = generator.event(seq);
            if (e.malformed()) {
                malformed++;
            } else {
                valid.add(e.eventId());
            }
        }
        return new GroundTruth(count, valid, malformed);
    }
}
