package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.results.Visitor;
import io.sluice.jobs.results.VisitorClaims;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.CheckAndMutateResult;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Durability;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Visitor claims in the results table ({@link ResultsLayout#claimRow}): one batched read of the claims, then one
 * batched {@code checkAndMutate} (if absent) for the visitors without one, then a read of those another writer claimed
 * in between. A claim is a fact, not a count: whichever leader writes it first, every later reader counts by it, so
 * it needs no epoch fence (the count rows computed from it are fenced).
 */
public final class HBaseVisitorClaims implements VisitorClaims {
    private final Connection connection;
    private final TableName table;

    public HBaseVisitorClaims(Connection connection, String table) {
        this.connection = connection;
        this.table = TableName.valueOf(table);
    }

    @Override
    public Map<Visitor, Long> claim(Map<Visitor, Long> windowStarts) throws IOException {
        Map<Visitor, Long> claimed = new HashMap<>(windowStarts.size() * 2);
        try (Table t = connection.getTable(table)) {
            List<Visitor> missing = read(t, new ArrayList<>(windowStarts.keySet()), claimed);
            if (missing.isEmpty()) {
                return claimed;
            }
            List<CheckAndMutate> writes = new ArrayList<>(missing.size());
            for (Visitor v : missing) {
                long start = windowStarts.get(v);
                byte[] row = ResultsLayout.claimRow(v);
                Put put = new Put(row)
                        .addColumn(
                                ResultsLayout.TOP,
                                ResultsLayout.CLAIMED_WINDOW,
                                ResultsLayout.cellTimestamp(start),
                                Bytes.toBytes(start));
                put.setDurability(Durability.SYNC_WAL);
                writes.add(CheckAndMutate.newBuilder(row)
                        .ifNotExists(ResultsLayout.TOP, ResultsLayout.CLAIMED_WINDOW)
                        .build(put));
            }
            List<CheckAndMutateResult> results = t.checkAndMutate(writes);
            List<Visitor> raced = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).isSuccess()) {
                    claimed.put(missing.get(i), windowStarts.get(missing.get(i)));
                } else {
                    raced.add(missing.get(i));
                }
            }
            List<Visitor> lost = read(t, raced, claimed);
            if (!lost.isEmpty()) {
                throw new IOException("visitor claim refused but absent: " + lost.get(0));
            }
        }
        return claimed;
    }

    /** Reads the claims of {@code visitors} into {@code claimed}; returns the visitors without one. */
    private static List<Visitor> read(Table t, List<Visitor> visitors, Map<Visitor, Long> claimed) throws IOException {
        List<Get> gets = new ArrayList<>(visitors.size());
        for (Visitor v : visitors) {
            gets.add(new Get(ResultsLayout.claimRow(v)).addColumn(ResultsLayout.TOP, ResultsLayout.CLAIMED_WINDOW));
        }
        Result[] found = gets.isEmpty() ? new Result[0] : t.get(gets);
        List<Visitor> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            byte[] value = found[i].getValue(ResultsLayout.TOP, ResultsLayout.CLAIMED_WINDOW);
            if (value == null) {
                missing.add(visitors.get(i));
            } else {
                claimed.put(visitors.get(i), Bytes.toLong(value));
            }
        }
        return missing;
    }
}
