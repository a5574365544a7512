package io.sluice.jobs.results;

import io.sluice.api.event.Event;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The consistency check of the results jobs: a plain Spark batch job that recounts everything from an archive root's
 * events (every archived event was on time: late ones are in the dead-letter output), with the same windows and the
 * same ranking. Compared with the results table by {@link ResultsComparison}.
 */
public final class ResultsRecount {
    private ResultsRecount() {}

    public static ResultsSnapshot recount(
            JavaSparkContext sc, String archiveRoot, EventParser parser, ResultsSettings settings) {
        String events = new ArchiveLayout(archiveRoot).eventsRoot() + "/dt=*/hour=*/*.jsonl";
        var keyed = sc.textFile(events).mapPartitionsToPair(lines -> keys(lines, parser, settings));
        Map<List<Object>, Long> sums = keyed.reduceByKey(Long::sum).collectAsMap();
        Map<CountCell, Long> counts = new TreeMap<>();
        TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
        sums.forEach((key, n) -> {
            if (key.get(0) instanceof CountCell cell) {
                counts.put(cell, n);
            } else {
                traffic.computeIfAbsent((Long) key.get(0), b -> new TreeMap<>()).put((ExperimentKey) key.get(1), n);
            }
        });
        return new ResultsSnapshot(counts, traffic);
    }

    /** Two keys per event: its count cell, and its (slide bucket, experiment). */
    private static Iterator<Tuple2<List<Object>, Long>> keys(
            Iterator<String> lines, EventParser parser, ResultsSettings settings) {
        List<Tuple2<List<Object>, Long>> out = new ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isBlank()) {
                continue;
            }
            ParseOutcome outcome = parser.parse(line.getBytes(StandardCharsets.UTF_8));
            if (!(outcome instanceof ParseOutcome.Valid valid)) {
                throw new IllegalStateException("the archive holds an event the parser rejects: " + outcome);
            }
            Event e = valid.event();
            CountCell cell = CountCell.of(settings, e);
            out.add(new Tuple2<>(List.of(cell), 1L));
            out.add(new Tuple2<>(List.of(settings.bucketStart(e.ts()), cell.experiment()), 1L));
        }
        return out.iterator();
    }
}
