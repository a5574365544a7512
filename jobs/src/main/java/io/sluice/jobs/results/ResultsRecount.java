package io.sluice.jobs.results;

import io.sluice.api.event.Event;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.EventFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
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
        String events = new ArchiveLayout(archiveRoot).eventsRoot() + "/dt=*/hour=*/*";
        var keyed = sc.binaryFiles(events)
                .filter(file -> EventFormat.isEventFile(new Path(file._1()).getName()))
                .mapPartitionsToPair(files -> keys(rawEvents(files), parser, settings));
        return snapshot(keyed.reduceByKey(Long::sum).collectAsMap());
    }

    /** The snapshot of the sums of {@link #keys} (other keys, such as a caller's own, are ignored). */
    public static ResultsSnapshot snapshot(Map<List<Object>, Long> sums) {
        Map<CountCell, Long> counts = new TreeMap<>();
        Map<VariationWindow, Set<String>> visitors = new HashMap<>();
        TreeMap<Long, Map<ExperimentKey, Long>> traffic = new TreeMap<>();
        sums.forEach((key, n) -> {
            if (key.get(0) instanceof CountCell cell) {
                counts.put(cell, n);
            } else if (key.size() == 2 && key.get(0) instanceof VariationWindow row && key.get(1) instanceof String u) {
                visitors.computeIfAbsent(row, r -> new HashSet<>()).add(u);
            } else if (key.size() == 2 && key.get(1) instanceof ExperimentKey experiment) {
                traffic.computeIfAbsent((Long) key.get(0), b -> new TreeMap<>()).put(experiment, n);
            }
        });
        return new ResultsSnapshot(counts, visitors, traffic);
    }

    /** The events of archive files, as received, in whatever format each file has. */
    private static Iterator<byte[]> rawEvents(Iterator<Tuple2<String, PortableDataStream>> files) throws IOException {
        List<byte[]> raw = new ArrayList<>();
        while (files.hasNext()) {
            PortableDataStream file = files.next()._2();
            Path path = new Path(file.getPath());
            EventFormat.read(path.getFileSystem(file.getConfiguration()), path, raw::add);
        }
        return raw.iterator();
    }

    /**
     * Three keys per event: its count cell, its (count row, user) when it has a user, and its (slide bucket,
     * experiment); summed, {@link #snapshot} reads them.
     */
    public static Iterator<Tuple2<List<Object>, Long>> keys(
            Iterator<byte[]> events, EventParser parser, ResultsSettings settings) {
        List<Tuple2<List<Object>, Long>> out = new ArrayList<>();
        while (events.hasNext()) {
            ParseOutcome outcome = parser.parse(events.next());
            if (!(outcome instanceof ParseOutcome.Valid valid)) {
                throw new IllegalStateException("the archive holds an event the parser rejects: " + outcome);
            }
            addKeys(valid.event(), settings, out);
        }
        return out.iterator();
    }

    /** Adds the keys of {@link #keys} of an event already parsed to {@code out}. */
    public static void addKeys(Event e, ResultsSettings settings, List<Tuple2<List<Object>, Long>> out) {
        CountCell cell = CountCell.of(settings, e);
        out.add(new Tuple2<>(List.of(cell), 1L));
        if (e.userId() != null) {
            out.add(new Tuple2<>(List.of(VariationWindow.of(cell), e.userId()), 1L));
        }
        out.add(new Tuple2<>(List.of(settings.bucketStart(e.ts()), cell.experiment()), 1L));
    }
}
