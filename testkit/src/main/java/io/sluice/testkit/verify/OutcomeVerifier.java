package io.sluice.testkit.verify;

import io.sluice.testkit.generator.GroundTruth;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares what reached the event store and every archive root with the generator's ground truth. */
public final class OutcomeVerifier {
    private OutcomeVerifier() {}

    public static Outcome verify(GroundTruth truth, EventStoreContents hbase, List<ArchiveContents> archives) {
        Set<String> valid = truth.validIds();
        long lost = 0;
        long duplicated = 0;
        for (String id : valid) {
            boolean missing = !hbase.versionsByEventId().containsKey(id);
            for (ArchiveContents archive : archives) {
                missing |= !archive.eventIdCounts().containsKey(id);
            }
            if (missing) {
                lost++;
            }
        }
        for (Map.Entry<String, Integer> row : hbase.versionsByEventId().entrySet()) {
            duplicated += valid.contains(row.getKey()) ? row.getValue() - 1 : row.getValue();
        }
        for (ArchiveContents archive : archives) {
            for (Map.Entry<String, Integer> id : archive.eventIdCounts().entrySet()) {
                duplicated += valid.contains(id.getKey()) ? id.getValue() - 1 : id.getValue();
            }
        }
        ArchiveContents primary = archives.get(0);
        return new Outcome(
                truth.sent(),
                valid.size(),
                primary.deadLetters(),
                primary.deadLetterReasons().getOrDefault("too_late", 0L),
                primary.deadLetterReasons().getOrDefault("future", 0L),
                new java.util.TreeMap<>(primary.deadLetterReasons()),
                hbase.versionsByEventId().size(),
                primary.lines(),
                lost,
                duplicated,
                null);
    }
}
