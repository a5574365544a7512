package io.sluice.driver.results;

import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ResultsComparison;
import io.sluice.jobs.results.ResultsRecount;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsSnapshot;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.sink.hbase.ResultsReader;
import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The consistency check of the results: recounts an archive root with a Spark batch job and compares every count
 * cell and every top row of the results table with it. Meaningful once every produced event is committed (the
 * archive and the table then describe the same events).
 */
public final class ResultsCheck {
    private ResultsCheck() {}

    /** What the check compared, and the differences it found (empty: exact). */
    public record Report(int countCells, int topRows, long recountedEvents, List<String> differences) {
        public boolean exact() {
            return differences.isEmpty();
        }

        public String summary() {
            return "count_cells=" + countCells + " top_rows=" + topRows + " recounted_events=" + recountedEvents
                    + " results_exact=" + exact();
        }
    }

    /**
     * Compares the results table with {@code expected}, computed elsewhere (from a generator's ground truth): every
     * count cell, and every top row the table holds. Returns the differences; empty when exact.
     */
    public static List<String> against(SluiceSettings settings, ResultsSnapshot expected) throws IOException {
        ResultsSettings results = settings.pipeline().results();
        try (Connection c =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            ResultsReader reader = new ResultsReader(c, results.table());
            return ResultsComparison.differences(results, reader.allRows(), reader.allTops(), expected);
        }
    }

    public static Report run(SluiceSettings settings, JavaSparkContext sc, String archiveRoot) throws IOException {
        ResultsSettings results = settings.pipeline().results();
        if (!results.enabled()) {
            throw new IllegalArgumentException(
                    "sluice.jobs does not name the job results: there are no results to check");
        }
        List<CountRow> rows;
        NavigableMap<Long, TopRow> tops;
        try (Connection c =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            ResultsReader reader = new ResultsReader(c, results.table());
            rows = reader.allRows();
            tops = reader.allTops();
        }
        ResultsSnapshot recount =
                ResultsRecount.recount(sc, archiveRoot, settings.pipeline().parser(), results);
        return new Report(
                rows.stream().mapToInt(r -> r.byType().size()).sum(),
                tops.size(),
                recount.events(),
                ResultsComparison.differences(results, rows, tops, recount));
    }
}
