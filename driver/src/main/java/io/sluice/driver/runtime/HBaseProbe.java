package io.sluice.driver.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Whether HBase answers, asked before a lagging job's catch-up so that an attempt while it is still down costs the
 * batch a few seconds rather than the client's operation timeout: a read of a row of {@code hbase:meta} on the
 * driver's connection, waited for at most {@link #WAIT_MS}. A read still running from an earlier probe is waited for
 * again instead of starting another.
 */
final class HBaseProbe implements AutoCloseable {
    static final long WAIT_MS = 3_000;
    private static final byte[] ROW = Bytes.toBytes("sluice-probe");
    private final Connection hbase;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hbase-probe");
        t.setDaemon(true);
        return t;
    });
    private Future<?> running;

    HBaseProbe(Connection hbase) {
        this.hbase = hbase;
    }

    synchronized boolean answers() {
        if (running == null) {
            running = reader.submit(() -> {
                // its own time limits: a read of hbase:meta otherwise retries for hbase.client.meta.operation.timeout
                try (Table meta = hbase.getTableBuilder(TableName.META_TABLE_NAME, null)
                        .setOperationTimeout((int) WAIT_MS)
                        .setRpcTimeout((int) WAIT_MS)
                        .setReadRpcTimeout((int) WAIT_MS)
                        .build()) {
                    return meta.get(new Get(ROW));
                }
            });
        }
        try {
            running.get(WAIT_MS, TimeUnit.MILLISECONDS);
            running = null;
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            running = null;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
