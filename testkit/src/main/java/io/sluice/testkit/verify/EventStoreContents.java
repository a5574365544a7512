package io.sluice.testkit.verify;

import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Reads the event store back: per event id (row key minus its salt), the number of cell versions of {@code e:raw}, and
 * the event ids marked late ({@code e:late}).
 */
public record EventStoreContents(Map<String, Integer> versionsByEventId, Set<String> lateIds) {
    public static EventStoreContents read(Connection connection, String table) throws IOException {
        Map<String, Integer> versions = new HashMap<>();
        Set<String> late = new HashSet<>();
        Scan scan = new Scan()
                .readAllVersions()
                .addColumn(HBaseSettings.FAMILY, HBaseSettings.RAW)
                .addColumn(HBaseSettings.FAMILY, HBaseSettings.LATE)
                .setFilter(new KeyOnlyFilter()) // versions are counted, values never read: pages of keys only
                .setCaching(1000);
        try (Table t = connection.getTable(TableName.valueOf(table));
                ResultScanner scanner = t.getScanner(scan)) {
            for (Result row : scanner) {
                String key = Bytes.toString(row.getRow());
                int count = 0;
                for (Cell cell : row.rawCells()) {
                    if (CellUtil.matchingQualifier(cell, HBaseSettings.RAW)) {
                        count++;
                    } else if (CellUtil.matchingQualifier(cell, HBaseSettings.LATE)) {
                        late.add(key.substring(2));
                    }
                }
                versions.put(key.substring(2), count);
            }
        }
        return new EventStoreContents(versions, late);
    }
}
