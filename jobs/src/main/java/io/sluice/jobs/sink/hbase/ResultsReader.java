package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.results.CountCell;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.TopRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/** The read path of the results table ({@link ResultsLayout}): what a results page, the CLI and the tests read. */
public final class ResultsReader {
    private final Connection connection;
    private final TableName table;

    public ResultsReader(Connection connection, String table) {
        this.connection = connection;
        this.table = TableName.valueOf(table);
    }

    /** Every variation of {@code experiment} in the windows starting in {@code [from, to)}: one scan. */
    public List<CountRow> experiment(ExperimentKey experiment, long from, long to) throws IOException {
        Scan scan = new Scan()
                .withStartRow(ResultsLayout.countScanStart(experiment, from))
                .withStopRow(ResultsLayout.countScanStart(experiment, to));
        withCountColumns(scan);
        List<CountRow> rows = new ArrayList<>();
        scan(scan, r -> rows.add(countRow(r)));
        return rows;
    }

    /** Every count cell of the table. */
    public Map<CountCell, Long> allCounts() throws IOException {
        Map<CountCell, Long> cells = new TreeMap<>();
        for (CountRow row : allRows()) {
            row.byType()
                    .forEach((type, n) ->
                            cells.put(new CountCell(row.windowStart(), row.experiment(), row.variationId(), type), n));
        }
        return cells;
    }

    /** Every count row of the table, with its visitors, in row key order (experiment, window, variation). */
    public List<CountRow> allRows() throws IOException {
        List<CountRow> rows = new ArrayList<>();
        scan(withCountColumns(new Scan().setRowPrefixFilter(ResultsLayout.COUNT_PREFIX)), r -> rows.add(countRow(r)));
        return rows;
    }

    private static Scan withCountColumns(Scan scan) {
        return scan.addFamily(ResultsLayout.COUNTS)
                .addColumn(ResultsLayout.TOP, ResultsLayout.VISITORS)
                .addColumn(ResultsLayout.TOP, ResultsLayout.NEW_VISITORS)
                .addColumn(ResultsLayout.TOP, ResultsLayout.VISITOR_SKETCH)
                .addColumn(ResultsLayout.TOP, ResultsLayout.REVISION);
    }

    /** Every top row written, by window end. */
    public NavigableMap<Long, TopRow> allTops() throws IOException {
        NavigableMap<Long, TopRow> tops = new TreeMap<>();
        Scan scan = new Scan().setRowPrefixFilter(ResultsLayout.TOP_PREFIX).addFamily(ResultsLayout.TOP);
        scan(scan, r -> {
            TopRow top = topRow(r);
            tops.put(top.windowEnd(), top);
        });
        return tops;
    }

    /** The newest final top row, if any. */
    public Optional<TopRow> latestTop() throws IOException {
        try (Table t = connection.getTable(table)) {
            Result latest = t.get(new Get(ResultsLayout.LATEST_TOP_ROW));
            byte[] end = latest.getValue(ResultsLayout.TOP, ResultsLayout.WINDOW_END);
            if (end == null) {
                return Optional.empty();
            }
            Result row = t.get(new Get(ResultsLayout.topRow(Bytes.toLong(end))));
            return row.isEmpty() ? Optional.empty() : Optional.of(topRow(row));
        }
    }

    /** The watermark of the last committed batch ({@link EventClock#NO_TIME} when none was written). */
    public long watermark() throws IOException {
        try (Table t = connection.getTable(table)) {
            byte[] value =
                    t.get(new Get(ResultsLayout.WATERMARK_ROW)).getValue(ResultsLayout.TOP, ResultsLayout.WATERMARK);
            return value == null ? EventClock.NO_TIME : Bytes.toLong(value);
        }
    }

    private interface RowAction {
        void accept(Result r) throws IOException;
    }

    private void scan(Scan scan, RowAction action) throws IOException {
        try (Table t = connection.getTable(table);
                ResultScanner scanner = t.getScanner(scan)) {
            for (Result r : scanner) {
                action.accept(r);
            }
        }
    }

    private static CountRow countRow(Result r) {
        CountRow key = ResultsLayout.decodeCountRow(r.getRow());
        Map<String, Long> byType = new TreeMap<>();
        for (Cell cell : r.rawCells()) {
            if (CellUtil.matchingFamily(cell, ResultsLayout.COUNTS)) {
                byType.put(
                        new String(CellUtil.cloneQualifier(cell), StandardCharsets.UTF_8),
                        Bytes.toLong(CellUtil.cloneValue(cell)));
            }
        }
        return new CountRow(
                key.windowStart(),
                key.experiment(),
                key.variationId(),
                byType,
                longCell(r, ResultsLayout.VISITORS),
                longCell(r, ResultsLayout.NEW_VISITORS),
                r.getValue(ResultsLayout.TOP, ResultsLayout.VISITOR_SKETCH),
                longCell(r, ResultsLayout.REVISION));
    }

    private static long longCell(Result r, byte[] column) {
        byte[] value = r.getValue(ResultsLayout.TOP, column);
        return value == null ? 0 : Bytes.toLong(value);
    }

    private static TopRow topRow(Result r) {
        List<RankedExperiment> ranking = new ArrayList<>();
        for (Cell cell : r.rawCells()) { // columns 001, 002, ... come sorted
            ranking.add(ResultsLayout.decodeRank(CellUtil.cloneValue(cell)));
        }
        return new TopRow(ResultsLayout.decodeTopRow(r.getRow()), ranking);
    }
}
