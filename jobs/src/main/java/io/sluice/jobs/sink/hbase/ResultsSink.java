package io.sluice.jobs.sink.hbase;

import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.FencedException;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.results.TopRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.CompareOperator;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.CheckAndMutateResult;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Durability;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Writes a batch's {@link ResultsUpdate} to the results table ({@link ResultsLayout}), from the driver: a batch
 * changes one row per variation and window it touched, not one per event. Every value is absolute and every cell
 * timestamp a function of the window, so writing an update again, or a later update over it, leaves one correct
 * version. A failure is thrown after the client's retries and fails the batch.
 *
 * <p>Count rows are fenced: absolute counts are the one output that an older value can overwrite wrongly (a deposed
 * leader waking up after a newer one wrote the same cell). Each count row is written with HBase's
 * {@code checkAndMutate} on condition that its {@code t:epoch} cell is absent or not newer than the writer's epoch,
 * and records the writer's epoch there; a refused row throws {@link FencedException}. The other rows need no fence:
 * top rows are written for final windows only, whose content every leader computes alike, and the meta rows' cell
 * timestamp is their value, so an older value never hides a newer one.
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

    /** Writes the update under {@code epoch} and flushes; returns the number of rows written. */
    public long write(ResultsUpdate update, Epoch epoch) throws IOException {
        if (update.isEmpty() && update.watermark() == EventClock.NO_TIME) {
            return 0;
        }
        long rows = writeCounts(update.counts(), epoch);
        try (BufferedMutator mutator = connection.getBufferedMutator(TableName.valueOf(table))) {
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

    /**
     * Conditional puts in batched rounds: rows that hold an epoch not newer than this one are written first; rows the
     * condition refused are written if they hold no epoch yet (new rows); what is still refused after another round
     * holds a newer epoch.
     */
    private long writeCounts(List<CountRow> counts, Epoch epoch) throws IOException {
        byte[] mine = Bytes.toBytes(epoch.number());
        List<CountRow> pending = counts;
        try (Table t = connection.getTable(TableName.valueOf(table))) {
            for (int round = 0; round < 3 && !pending.isEmpty(); round++) {
                boolean newRows = round == 1;
                List<CheckAndMutate> writes = new ArrayList<>(pending.size());
                for (CountRow row : pending) {
                    byte[] key = ResultsLayout.countRow(row.windowStart(), row.experiment(), row.variationId());
                    CheckAndMutate.Builder condition = CheckAndMutate.newBuilder(key);
                    condition = newRows
                            ? condition.ifNotExists(ResultsLayout.TOP, ResultsLayout.EPOCH)
                            // HBase compares the given value with the stored one: mine >= stored
                            : condition.ifMatches(
                                    ResultsLayout.TOP, ResultsLayout.EPOCH, CompareOperator.GREATER_OR_EQUAL, mine);
                    writes.add(condition.build(countPut(key, row, mine)));
                }
                List<CheckAndMutateResult> results = t.checkAndMutate(writes);
                List<CountRow> refused = new ArrayList<>();
                for (int i = 0; i < results.size(); i++) {
                    if (!results.get(i).isSuccess()) {
                        refused.add(pending.get(i));
                    }
                }
                pending = refused;
            }
        }
        if (!pending.isEmpty()) {
            throw new FencedException(
                    epoch, "results write of " + pending.size() + " count rows (first: " + pending.get(0) + ")");
        }
        return counts.size();
    }

    private Put countPut(byte[] key, CountRow row, byte[] epoch) {
        long ts = ResultsLayout.cellTimestamp(row.windowStart() + windowMs);
        Put put = new Put(key);
        for (Map.Entry<String, Long> type : row.byType().entrySet()) {
            put.addColumn(ResultsLayout.COUNTS, Bytes.toBytes(type.getKey()), ts, Bytes.toBytes(type.getValue()));
        }
        put.addColumn(ResultsLayout.TOP, ResultsLayout.EPOCH, ts, epoch);
        put.addColumn(ResultsLayout.TOP, ResultsLayout.VISITORS, ts, Bytes.toBytes(row.visitors()));
        put.addColumn(ResultsLayout.TOP, ResultsLayout.NEW_VISITORS, ts, Bytes.toBytes(row.newVisitors()));
        if (row.revision() > 0) {
            put.addColumn(ResultsLayout.TOP, ResultsLayout.REVISION, ts, Bytes.toBytes(row.revision()));
        }
        if (row.visitorSketch() != null) {
            put.addColumn(ResultsLayout.TOP, ResultsLayout.VISITOR_SKETCH, ts, row.visitorSketch());
        }
        return durable(put);
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
