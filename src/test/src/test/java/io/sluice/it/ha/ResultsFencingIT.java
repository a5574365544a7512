package io.sluice.it.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.FencedException;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import io.sluice.jobs.sink.hbase.ResultsSink;
import io.sluice.jobs.sink.hbase.ResultsTable;
import io.sluice.testkit.junit.HBaseExtension;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The results table's fence on a real HBase: a count row written under an epoch refuses a write from an older epoch
 * (a deposed leader waking up) and takes one from the same or a newer epoch.
 */
@ExtendWith(HBaseExtension.class)
class ResultsFencingIT {
    private static final long WINDOW = 10_000;
    private static final ExperimentKey EXPERIMENT = new ExperimentKey("acct-1", "exp-1");

    @Test
    void aCountRowRefusesAnOlderEpochAndTakesTheSameOrANewerOne() throws Exception {
        String table = "results_fencing_" + System.nanoTime();
        try (Connection hbase =
                ConnectionFactory.createConnection(HBaseExtension.server().clientConfiguration())) {
            try (Admin admin = hbase.getAdmin()) {
                ResultsTable.ensure(admin, table);
            }
            ResultsSink sink = new ResultsSink(hbase, table, WINDOW);

            sink.write(update(10), new Epoch(5, 5));
            assertThat(count(hbase, table)).isEqualTo(10);

            assertThatThrownBy(() -> sink.write(update(7), new Epoch(4, 4)))
                    .isInstanceOf(FencedException.class)
                    .hasMessageContaining("epoch 4");
            assertThat(count(hbase, table))
                    .as("the older epoch's value did not land")
                    .isEqualTo(10);

            sink.write(update(12), new Epoch(5, 5));
            assertThat(count(hbase, table)).isEqualTo(12);
            sink.write(update(15), new Epoch(6, 6));
            assertThat(count(hbase, table)).isEqualTo(15);
            assertThatThrownBy(() -> sink.write(update(13), new Epoch(5, 5))).isInstanceOf(FencedException.class);
            assertThat(count(hbase, table)).isEqualTo(15);
        }
    }

    private static ResultsUpdate update(long impressions) {
        return new ResultsUpdate(
                List.of(new CountRow(0, EXPERIMENT, "v1", Map.of("impression", impressions))),
                List.of(),
                EventClock.NO_TIME);
    }

    private static long count(Connection hbase, String table) throws Exception {
        try (Table t = hbase.getTable(TableName.valueOf(table))) {
            byte[] value = t.get(new Get(ResultsLayout.countRow(0, EXPERIMENT, "v1")))
                    .getValue(ResultsLayout.COUNTS, Bytes.toBytes("impression"));
            return Bytes.toLong(value);
        }
    }
}
