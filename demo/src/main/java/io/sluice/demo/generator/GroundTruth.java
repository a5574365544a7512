package io.sluice.demo.generator;

import java.util.HashSet;
import java.util.Set;

/**
 * What a generator run of {@code count} events must produce: the valid on-time event ids, the valid ones the pipeline
 * must find late, and the number of malformed ones. Lateness follows each partition's event-time clock (the largest
 * time of its on-time events so far, in sequence order), the rule DESIGN and docs/commit-protocol.md state.
 */
public record GroundTruth(long sent, Set<String> validIds, Set<String> lateIds, long malformed) {

    /** Without lateness: every valid event is on time (the results jobs are off). */
    public static GroundTruth of(EventGenerator generator, long count) {
        return of(generator, count, 1, -1);
    }

    /**
     * @param partitions the topic's partitions (events go to {@link EventGenerator#partition})
     * @param allowedLatenessMs {@code sluice.results.allowed-lateness-ms}; negative when the results jobs are off
     */
    public static GroundTruth of(EventGenerator generator, long count, int partitions, long allowedLatenessMs) {
        Set<String> valid = new HashSet<>();
        Set<String> late = new HashSet<>();
        long[] clocks = new long[partitions];
        java.util.Arrays.fill(clocks, Long.MIN_VALUE);
        long malformed = 0;
        for (long seq = 0; seq < count; seq++) {
            GeneratedEvent e = generator.event(seq);
            if (e.malformed()) {
                malformed++;
                continue;
            }
            int p = EventGenerator.partition(seq, partitions);
            if (allowedLatenessMs >= 0 && clocks[p] != Long.MIN_VALUE && e.ts() < clocks[p] - allowedLatenessMs) {
                late.add(e.eventId());
            } else {
                valid.add(e.eventId());
                clocks[p] = Math.max(clocks[p], e.ts());
            }
        }
        return new GroundTruth(count, valid, late, malformed);
    }

    /** Dead letters the pipeline must write: the malformed events and the late ones. */
    public long deadLetters() {
        return malformed + lateIds.size();
    }
}
