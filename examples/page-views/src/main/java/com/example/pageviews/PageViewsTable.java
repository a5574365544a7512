package com.example.pageviews;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The page-views table: one row per window and URL ({@code <window start, 8 bytes><url>}), one cell per source range
 * that counted views in it (column {@code <topic>+<partition>+<from>}, value: the count, 8 bytes). The views of a row
 * are the sum of its cells.
 */
public final class PageViewsTable {
    static final byte[] FAMILY = Bytes.toBytes("v");
    private final Connection connection;
    private final TableName name;

    /** A row: a window's start (ms) and a URL. */
    public record Row(long window, String url) {}

    public PageViewsTable(Connection connection, TableName name) {
        this.connection = connection;
        this.name = name;
    }

    static byte[] column(SourceRange range) {
        return Bytes.toBytes(range.key().topic() + "+" + range.key().partition() + "+" + range.from());
    }

    static Put put(Row row, byte[] column, long count) {
        byte[] url = row.url().getBytes(StandardCharsets.UTF_8);
        byte[] key = ByteBuffer.allocate(8 + url.length)
                .putLong(row.window())
                .put(url)
                .array();
        return new Put(key).addColumn(FAMILY, column, Bytes.toBytes(count));
    }

    void ensure(Admin admin) throws IOException {
        if (!admin.tableExists(name)) {
            admin.createTable(TableDescriptorBuilder.newBuilder(name)
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.of(FAMILY))
                    .build());
        }
    }

    /** Deletes the cells of ranges that start at or past their partition's committed position. */
    void deletePast(CommittedOffsets committed) throws IOException {
        try (Table table = connection.getTable(name);
                ResultScanner rows = table.getScanner(new Scan().addFamily(FAMILY))) {
            List<Delete> stale = new ArrayList<>();
            for (Result row : rows) {
                for (Cell cell : row.rawCells()) {
                    String column = Bytes.toString(CellUtil.cloneQualifier(cell));
                    int last = column.lastIndexOf('+');
                    int middle = column.lastIndexOf('+', last - 1);
                    TopicPartitionKey key = new TopicPartitionKey(
                            column.substring(0, middle), Integer.parseInt(column.substring(middle + 1, last)));
                    long from = Long.parseLong(column.substring(last + 1));
                    OptionalLong next = committed.next(key);
                    if (next.isEmpty() || from >= next.getAsLong()) {
                        stale.add(new Delete(row.getRow()).addColumns(FAMILY, CellUtil.cloneQualifier(cell)));
                    }
                }
            }
            table.delete(stale);
        }
    }

    /** Every row's views: the sum of its cells. */
    public Map<Row, Long> read() throws IOException {
        Map<Row, Long> views =
                new TreeMap<>(java.util.Comparator.comparingLong(Row::window).thenComparing(Row::url));
        try (Table table = connection.getTable(name);
                ResultScanner rows = table.getScanner(new Scan().addFamily(FAMILY))) {
            for (Result row : rows) {
                ByteBuffer key = ByteBuffer.wrap(row.getRow());
                long window = key.getLong();
                String url = StandardCharsets.UTF_8.decode(key).toString();
                long sum = 0;
                for (Cell cell : row.rawCells()) {
                    sum += Bytes.toLong(CellUtil.cloneValue(cell));
                }
                views.put(new Row(window, url), sum);
            }
        }
        return views;
    }
}
