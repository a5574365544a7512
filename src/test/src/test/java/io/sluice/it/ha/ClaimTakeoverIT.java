package io.sluice.it.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.EventRowKey;
import io.sluice.jobs.sink.hbase.EventStoreTable;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import io.sluice.testkit.junit.HBaseExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claims' fence on a real HBase, deterministically (DeposedLeaderIT shows it end to end, where which driver
 * claims first is a race): a deposed push leader and its successor hold the same WAL block at different positions
 * (their batch times). When the deposed one claims first, the successor must take those claims over, since that batch
 * can never commit; without the fence it dropped every event of the block as a copy, and nobody wrote them.
 */
@ExtendWith(HBaseExtension.class)
class ClaimTakeoverIT {
    private static final long R = 1_000_000; // PushSource.RECORDS_PER_BLOCK
    private static final long COMMITTED_BATCH = 1_000_000_000L;
    /** The push position committed when epoch 2 began: the batch after COMMITTED_BATCH. */
    private static final long COMMITTED_NEXT = COMMITTED_BATCH * R + R;

    @Test
    void aDeposedLeadersClaimsAtUncommittedPositionsAreTakenOverAndCommittedOnesAreKept() throws Exception {
        HBaseSettings settings = settings("claims_takeover_" + System.nanoTime());
        try (Connection hbase = ConnectionFactory.createConnection(settings.clientConfiguration())) {
            try (Admin admin = hbase.getAdmin()) {
                EventStoreTable.ensure(admin, settings);
            }
            ClaimFence epoch2 = new ClaimFence(2, Map.of(), COMMITTED_NEXT);
            ClaimFence epoch1 = new ClaimFence(1, Map.of(), 0);
            // a committed batch of epoch 1 owns events 0-99; a later, never committed one of epoch 1 claims 100-199
            EventClaims.keepFirst(hbase, settings, block(COMMITTED_BATCH, 0, 100), "http+0", epoch1);
            long deposedBatch = COMMITTED_BATCH + 2_000;
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, block(deposedBatch, 100, 200), "http+0", epoch1)))
                    .hasSize(100);

            // the successor holds events 100-199 in its own batch, and a sender's re-sent copy of 0-99
            long successorBatch = COMMITTED_BATCH + 1_000;
            PartitionBatch same = block(successorBatch, 100, 200);
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, same, "http+1", ClaimFence.NONE)))
                    .as("without the fence: every event dropped as a copy, written by nobody")
                    .isEmpty();
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, same, "http+1", epoch2)))
                    .as("with the fence: the deposed leader's claims taken over")
                    .hasSize(100);
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, same, "http+1", epoch2)))
                    .as("a re-run of the successor's batch finds its own claims")
                    .hasSize(100);
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, block(deposedBatch, 100, 200), "http+0", epoch1)))
                    .as("the deposed leader, running on, now finds them taken")
                    .isEmpty();
            assertThat(keptIds(EventClaims.keepFirst(
                            hbase, settings, block(successorBatch + 1_000, 0, 100), "http+0", epoch2)))
                    .as("claims of committed positions stay: a re-sent copy is still a copy")
                    .isEmpty();
        }
    }

    @Test
    void claimsAreReliedOnOnlyOnceTheirRegionsSyncedThemAndAClaimGoneBeforeThatFailsTheClaims() throws Exception {
        HBaseSettings settings = settings("claims_sync_" + System.nanoTime());
        try (Connection hbase = ConnectionFactory.createConnection(settings.clientConfiguration())) {
            try (Admin admin = hbase.getAdmin()) {
                EventStoreTable.ensure(admin, settings);
            }
            ClaimFence epoch1 = new ClaimFence(1, Map.of(), 0);
            PartitionBatch batch = block(COMMITTED_BATCH, 0, 200);
            assertThat(keptIds(EventClaims.keepFirst(hbase, settings, batch, "http+0", epoch1)))
                    .hasSize(200);
            List<byte[]> rows = new ArrayList<>();
            List<byte[]> claims = new ArrayList<>();
            for (PositionedEvent e : batch.valid()) {
                rows.add(EventRowKey.of(e.event().eventId(), settings.saltBuckets()));
                claims.add(("http+0+" + e.offset() + "@1").getBytes(StandardCharsets.UTF_8));
            }
            try (Table table = hbase.getTable(TableName.valueOf(settings.eventTable()))) {
                EventClaims.sync(hbase, table, rows, claims); // every claim stored: nothing to say
                // a region server that died before syncing loses the claims appended since its last sync
                for (byte[] row : rows) {
                    table.delete(new Delete(row).addColumns(HBaseSettings.FAMILY, EventClaims.CLAIM));
                }
                assertThatThrownBy(() -> EventClaims.sync(hbase, table, rows, claims))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("is gone before it was made durable");
            }
        }
    }

    /** A receiver block of batch {@code batchTime} holding events {@code from..until-1}. */
    private static PartitionBatch block(long batchTime, int from, int until) {
        long base = batchTime * R;
        List<PositionedEvent> events = new ArrayList<>();
        for (int i = from; i < until; i++) {
            Event e = new Event("id-" + i, 1_000, "acct", "exp", "v", "u", "impression", Map.of());
            events.add(new PositionedEvent(base + i - from, e, new byte[0]));
        }
        return new PartitionBatch(SourceRange.of("http", 0, base, base + R), events, List.of());
    }

    private static List<String> keptIds(EventClaims.Outcome outcome) {
        return outcome.batch().valid().stream().map(e -> e.event().eventId()).toList();
    }

    private static HBaseSettings settings(String table) {
        return new HBaseSettings(
                true,
                HBaseExtension.server().zookeeperQuorum(),
                HBaseExtension.server().zookeeperPort(),
                "/hbase",
                table,
                4,
                Map.of());
    }
}
