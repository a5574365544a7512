package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.results.TopRow;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Durability;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Writes a batch's {@link ResultsUpdate} to the results table ({@link ResultsLayout}), from the driver: a batch
 * changes one row per variation and window it touched, not one per event. Every value is absolute and every cell
 * timestamp a function of the window, so writing an update again, or a later update over it, leaves one correct
 * version. A failure is thrown after the client's retries and fails the batch.
 */
public final class ResultsSink {
    private final Connection connection;
    private final String table;
    private final long windowMs;

    public ResultsSink(Connection connection, String table, long windowMs) {
        this.connection = connection;
        this.table = table;
        this.windowMs = windowMs;
    }

    /** Writes the update and flushes; returns the number of rows written. */
    public long write(ResultsUpdate update) throws IOException {
        if (update.isEmpty() && update.watermark() == EventClock.NO_TIME) {
            return 0;
        }
        long rows = 0;
        try (BufferedMutator mutator = connection.getBufferedMutator(TableName.valueOf(table))) {
            for (CountRow row : update.counts()) {
                long ts = ResultsLayout.cellTimestamp(row.windowStart() + windowMs);
                Put put = new Put(ResultsLayout.countRow(row.windowStart(), row.experiment(), row.variationId()));
                for (Map.Entry<String, Long> type : row.byType().entrySet()) {
                    put.addColumn(
                            ResultsLayout.COUNTS, Bytes.toBytes(type.getKey()), ts, Bytes.toBytes(type.getValue()));
                }
                mutator.mutate(durable(put));
                rows++;
            }
            for (TopRow top : update.tops()) {
                mutator.mutate(durable(topPut(ResultsLayout.topRow(top.windowEnd()), top)));
                rows++;
            }
            if (!update.tops().isEmpty()) {
                TopRow latest = update.tops().get(update.tops().size() - 1);
                Put put = new Put(ResultsLayout.LATEST_TOP_ROW)
                        .addColumn(
                                ResultsLayout.TOP,
                                ResultsLayout.WINDOW_END,
                                ResultsLayout.cellTimestamp(latest.windowEnd()),
                                Bytes.toBytes(latest.windowEnd()));
                mutator.mutate(durable(put));
            }
            if (update.watermark() != EventClock.NO_TIME) {
                mutator.mutate(durable(new Put(ResultsLayout.WATERMARK_ROW)
                        .addColumn(
                                ResultsLayout.TOP,
                                ResultsLayout.WATERMARK,
                                ResultsLayout.cellTimestamp(update.watermark()),
                                Bytes.toBytes(update.watermark()))));
            }
            mutator.flush();
        }
        return rows;
    }

    private static Put topPut(byte[] row, TopRow top) {
        Put put = new Put(row);
        long ts = ResultsLayout.cellTimestamp(top.windowEnd());
        List<io.sluice.jobs.results.RankedExperiment> ranking = top.ranking();
        for (int i = 0; i < ranking.size(); i++) {
            put.addColumn(
                    ResultsLayout.TOP, ResultsLayout.rankColumn(i + 1), ts, ResultsLayout.rankValue(ranking.get(i)));
        }
        return put;
    }

    private static Put durable(Put put) {
        put.setDurability(Durability.SYNC_WAL);
        return put;
    }
}
