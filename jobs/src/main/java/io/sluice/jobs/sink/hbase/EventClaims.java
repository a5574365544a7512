package io.sluice.jobs.sink.hbase;

import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deduplication by identity for a source that can deliver one event twice at different positions (a producer's retry
 * at another Kafka offset, an agent's resend, a push sender retrying a request whose answer it never got): the first position to claim an event's identity in the event table
 * owns it, and only the owner's copy goes to the outputs. A claim is a cell {@code e:claim} holding the position, written
 * with {@code checkAndMutate(ifNotExists)}; a replay of the same position finds its own claim and keeps the event, so
 * the outputs are a function of the positions, as the commit protocol needs. The identity of a valid event is its
 * {@code event_id} (its event-store row). Dead letters have none and are not claimed: distinct records with identical
 * bytes (two senders' {@code {}}) are each kept, and a retried push request's dead letters are kept twice. A claim
 * lives as long as the row: that is the deduplication window.
 *
 * <p>A claim also holds the epoch of the driver that wrote it ({@code <position>@<epoch>}); a newer epoch takes over a
 * claim that an older one made at a position that was never committed ({@link ClaimFence}), with {@code
 * checkAndMutate(ifEquals)} on the claim it found. Ownership compares positions only, so a replay in a later epoch
 * finds its own claim.
 *
 * <p>Claims are appended to the WAL without a sync each, then made durable together before the batch relies on them
 * ({@link #sync}): one synced write per region instead of one per event.
 */
public final class EventClaims {
    private static final Logger LOG = LoggerFactory.getLogger(EventClaims.class);
    public static final byte[] CLAIM = {'c', 'l', 'a', 'i', 'm'};
    private static final int CHUNK = 1000;

    private EventClaims() {}

    /** The claim position prefix of a source partition: {@code <topic>+<partition>}, the record's offset follows. */
    public static String position(io.sluice.checkpoint.TopicPartitionKey source) {
        return source.topic() + "+" + source.partition();
    }

    /**
     * Read-only {@link #keepFirst} for a range that was committed already (a replay rebuilding state): the valid
     * events whose identity {@code position} owns, and those nobody owns any more (the claim outlived its window).
     * Dead letters are returned unchanged.
     */
    public static PartitionBatch owned(Connection hbase, HBaseSettings settings, PartitionBatch batch, String position)
            throws IOException {
        byte[][] owners = owners(hbase, settings, batch.valid());
        List<PositionedEvent> valid = new ArrayList<>();
        for (int k = 0; k < owners.length; k++) {
            PositionedEvent e = batch.valid().get(k);
            if (owners[k] == null || samePosition(owners[k], bytes(position + "+" + e.offset()))) {
                valid.add(e);
            }
        }
        return new PartitionBatch(batch.range(), valid, batch.deadLetters());
    }

    /** The stored claim of every event of {@code events} (null where none is stored), in chunks of gets. */
    private static byte[][] owners(Connection hbase, HBaseSettings settings, List<PositionedEvent> events)
            throws IOException {
        byte[][] owners = new byte[events.size()][];
        try (Table table = hbase.getTable(TableName.valueOf(settings.eventTable()))) {
            for (int from = 0; from < events.size(); from += CHUNK) {
                List<PositionedEvent> chunk = events.subList(from, Math.min(events.size(), from + CHUNK));
                List<Get> gets = new ArrayList<>(chunk.size());
                for (PositionedEvent e : chunk) {
                    gets.add(new Get(EventRowKey.of(e.event().eventId(), settings.saltBuckets()))
                            .addColumn(HBaseSettings.FAMILY, CLAIM));
                }
                Result[] stored = table.get(gets);
                for (int k = 0; k < chunk.size(); k++) {
                    owners[from + k] = stored[k].getValue(HBaseSettings.FAMILY, CLAIM);
                }
            }
        }
        return owners;
    }

    /**
     * Read-only, for push ingestion's batches read again from the primary archive root ({@code
     * io.sluice.jobs.sink.archive.ArchivedBatches}, block {@code partition}): the valid events whose identity this
     * copy owns. A batch written live was deduplicated when it was archived, and its block owns its events at
     * positions of its own range ({@code http+<partition>}); a batch archived while the event store lagged holds
     * every copy, and the catch-up claimed each identity for one of them at its archive position ({@code
     * http-archived+<partition>+<offset>}). Events nobody owns any more (the claim outlived its window) are kept.
     */
    public static PartitionBatch ownedInArchive(
            Connection hbase, HBaseSettings settings, PartitionBatch batch, int partition) throws IOException {
        String live = PushSource.NAME + "+" + partition;
        String archived = PushSource.ARCHIVED + "+" + partition;
        long from = batch.range().from();
        long until = batch.range().until();
        byte[][] owners = owners(hbase, settings, batch.valid());
        List<PositionedEvent> valid = new ArrayList<>();
        for (int k = 0; k < owners.length; k++) {
            PositionedEvent e = batch.valid().get(k);
            if (owners[k] == null) {
                valid.add(e);
                continue;
            }
            Claim claim = Claim.parse(owners[k]);
            if (claim == null) {
                continue; // not a position of push ingestion: another source's copy owns it
            }
            if ((claim.prefix().equals(live) && claim.offset() >= from && claim.offset() < until)
                    || (claim.prefix().equals(archived) && claim.offset() == e.offset())) {
                valid.add(e);
            }
        }
        return new PartitionBatch(batch.range(), valid, batch.deadLetters());
    }

    /** What {@link #keepFirst} kept, and how many copies it dropped. */
    public record Outcome(PartitionBatch batch, long duplicates) {}

    /**
     * The batch without the valid events whose identity another position owns. {@code position} names the batch's
     * source position; each record's offset is appended to it. Dead letters are all kept: bytes are no identity
     * (equal bytes from different senders, or at different offsets, are different records).
     */
    public static Outcome keepFirst(Connection hbase, HBaseSettings settings, PartitionBatch batch, String position)
            throws IOException {
        return keepFirst(hbase, settings, batch, position, ClaimFence.NONE);
    }

    /** As {@link #keepFirst(Connection, HBaseSettings, PartitionBatch, String)}, taking over what {@code fence} voids. */
    public static Outcome keepFirst(
            Connection hbase, HBaseSettings settings, PartitionBatch batch, String position, ClaimFence fence)
            throws IOException {
        List<byte[]> rows = new ArrayList<>();
        List<byte[]> owners = new ArrayList<>();
        String suffix = fence.epoch() > 0 ? "@" + fence.epoch() : "";
        for (PositionedEvent e : batch.valid()) {
            rows.add(EventRowKey.of(e.event().eventId(), settings.saltBuckets()));
            owners.add(bytes(position + "+" + e.offset() + suffix));
        }
        boolean[] mine = claim(hbase, settings, rows, owners, fence);
        List<PositionedEvent> valid = new ArrayList<>();
        for (int i = 0; i < mine.length; i++) {
            if (mine[i]) {
                valid.add(batch.valid().get(i));
            }
        }
        return new Outcome(
                new PartitionBatch(batch.range(), valid, batch.deadLetters()),
                batch.valid().size() - valid.size());
    }

    /**
     * Claims every distinct row once (the first of its copies in the batch), then finds each row's owner: the claim's
     * own position when it succeeded, else the stored one. A record is mine when the owner is its own position, so a
     * later copy in the same batch is dropped like one in a later batch.
     */
    private static boolean[] claim(
            Connection hbase, HBaseSettings settings, List<byte[]> rows, List<byte[]> owners, ClaimFence fence)
            throws IOException {
        Map<ByteBuffer, Integer> firstOf = new HashMap<>();
        List<Integer> distinct = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (firstOf.putIfAbsent(ByteBuffer.wrap(rows.get(i)), i) == null) {
                distinct.add(i);
            }
        }
        byte[][] ownerOf = new byte[rows.size()][];
        try (Table table = hbase.getTable(TableName.valueOf(settings.eventTable()))) {
            for (int from = 0; from < distinct.size(); from += CHUNK) {
                List<Integer> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK));
                List<CheckAndMutate> claims = new ArrayList<>(chunk.size());
                for (int i : chunk) {
                    Put put = new Put(rows.get(i)).addColumn(HBaseSettings.FAMILY, CLAIM, owners.get(i));
                    // synced once per region below, not once per claim
                    put.setDurability(Durability.ASYNC_WAL);
                    claims.add(CheckAndMutate.newBuilder(rows.get(i))
                            .ifNotExists(HBaseSettings.FAMILY, CLAIM)
                            .build(put));
                }
                List<CheckAndMutateResult> results = table.checkAndMutate(claims);
                List<Integer> taken = new ArrayList<>();
                List<Get> gets = new ArrayList<>();
                for (int k = 0; k < chunk.size(); k++) {
                    int i = chunk.get(k);
                    if (results.get(k).isSuccess()) {
                        ownerOf[i] = owners.get(i);
                    } else {
                        taken.add(i);
                        gets.add(new Get(rows.get(i)).addColumn(HBaseSettings.FAMILY, CLAIM));
                    }
                }
                if (!gets.isEmpty()) {
                    Result[] stored = table.get(gets);
                    int takenOver = 0;
                    for (int k = 0; k < taken.size(); k++) {
                        int i = taken.get(k);
                        byte[] owner = stored[k].getValue(HBaseSettings.FAMILY, CLAIM);
                        if (owner != null && voided(owner, fence)) {
                            owner = takeOver(table, rows.get(i), owner, owners.get(i));
                            takenOver += owner == owners.get(i) ? 1 : 0;
                        }
                        ownerOf[i] = owner;
                    }
                    if (takenOver > 0) {
                        LOG.info(
                                "took over {} claims at positions never committed (of a deposed leader, or of the"
                                        + " batch that began the event store's lag; epoch {})",
                                takenOver,
                                fence.epoch());
                    }
                }
            }
            // every claim this batch relies on, also one an earlier attempt of it wrote and never synced
            List<byte[]> ownRows = new ArrayList<>();
            List<byte[]> ownClaims = new ArrayList<>();
            for (int i : distinct) {
                if (ownerOf[i] != null && samePosition(ownerOf[i], owners.get(i))) {
                    ownRows.add(rows.get(i));
                    ownClaims.add(ownerOf[i]);
                }
            }
            sync(hbase, table, ownRows, ownClaims);
        }
        boolean[] mine = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            byte[] owner = ownerOf[firstOf.get(ByteBuffer.wrap(rows.get(i)))];
            mine[i] = owner != null && samePosition(owner, owners.get(i));
        }
        return mine;
    }

    /**
     * Makes claims written with {@code ASYNC_WAL} durable, or fails. The claims of a batch are the costliest writes
     * of the event table: each is a {@code checkAndMutate}, which the region server runs alone, so a {@code SYNC_WAL}
     * claim costs a WAL sync per event. Claims are written with {@code ASYNC_WAL} instead: appended to the WAL in
     * order, synced later. Then, per region holding claims of {@code rows}, the one appended last is written again,
     * conditionally on being still there and with {@code SYNC_WAL}: a WAL sync covers every entry appended before it,
     * so once that write returns, every claim of that region is durable. If that claim is gone (the region server
     * died and its unsynced entries with it, or a newer leader took it over), this throws, and the batch must not rely
     * on any of them (the event store lags, as when claiming failed). If it survived a region server's death, so did
     * every claim appended before it (a WAL is replayed as a prefix), and the rewrite syncs the new server's WAL. A
     * region moved or split meanwhile was flushed when it closed.
     *
     * @param rows rows this batch owns, in the order their claims were sent; {@code owners} the claim stored in each
     */
    public static void sync(Connection hbase, Table table, List<byte[]> rows, List<byte[]> owners) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Integer> oneOfRegion = new HashMap<>();
        try (RegionLocator locator = hbase.getRegionLocator(table.getName())) {
            for (int i = 0; i < rows.size(); i++) {
                // the last one sent to a region is the one appended last
                oneOfRegion.put(
                        locator.getRegionLocation(rows.get(i)).getRegion().getEncodedName(), i);
            }
        }
        List<CheckAndMutate> barriers = new ArrayList<>(oneOfRegion.size());
        List<Integer> of = new ArrayList<>(oneOfRegion.values());
        for (int i : of) {
            Put put = new Put(rows.get(i)).addColumn(HBaseSettings.FAMILY, CLAIM, owners.get(i));
            put.setDurability(Durability.SYNC_WAL);
            barriers.add(CheckAndMutate.newBuilder(rows.get(i))
                    .ifEquals(HBaseSettings.FAMILY, CLAIM, owners.get(i))
                    .build(put));
        }
        List<CheckAndMutateResult> results = table.checkAndMutate(barriers);
        for (int k = 0; k < of.size(); k++) {
            if (!results.get(k).isSuccess()) {
                int i = of.get(k);
                throw new IOException("the claim " + new String(owners.get(i), StandardCharsets.UTF_8)
                        + " of row " + Bytes.toStringBinary(rows.get(i))
                        + " is gone before it was made durable (its region server restarted, or a newer leader took"
                        + " it over): the batch's claims are not relied on");
            }
        }
    }

    /** Replaces {@code found} by {@code mine} unless someone changed it meanwhile; returns the owner after. */
    private static byte[] takeOver(Table table, byte[] row, byte[] found, byte[] mine) throws IOException {
        Put put = new Put(row).addColumn(HBaseSettings.FAMILY, CLAIM, mine);
        put.setDurability(Durability.SYNC_WAL);
        CheckAndMutateResult result = table.checkAndMutate(CheckAndMutate.newBuilder(row)
                .ifEquals(HBaseSettings.FAMILY, CLAIM, found)
                .build(put));
        if (result.isSuccess()) {
            return mine;
        }
        return table.get(new Get(row).addColumn(HBaseSettings.FAMILY, CLAIM)).getValue(HBaseSettings.FAMILY, CLAIM);
    }

    /** Whether a stored claim is one {@code fence} lets this driver take over. */
    static boolean voided(byte[] claim, ClaimFence fence) {
        Claim c = Claim.parse(claim);
        // a claim without an epoch (written before claims carried one) is never void
        return c != null && fence.voids(c.epoch(), c.prefix(), c.offset());
    }

    /**
     * A stored claim, {@code <prefix>+<offset>[@<epoch>]}: the position's prefix ({@code <topic>+<partition>}), its
     * offset, and the epoch that wrote it (0 for a claim written before claims carried one).
     */
    private record Claim(String prefix, long offset, long epoch) {
        /** The claim {@code stored} holds, or null when it is not of that form. */
        static Claim parse(byte[] stored) {
            String s = new String(stored, StandardCharsets.UTF_8);
            int at = s.lastIndexOf('@');
            String position = at < 0 ? s : s.substring(0, at);
            int plus = position.lastIndexOf('+');
            if (plus < 0) {
                return null;
            }
            try {
                return new Claim(
                        position.substring(0, plus),
                        Long.parseLong(position.substring(plus + 1)),
                        at < 0 ? 0 : Long.parseLong(s.substring(at + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** Whether two claims name the same position, whatever epochs wrote them. */
    static boolean samePosition(byte[] a, byte[] b) {
        return withoutEpoch(new String(a, StandardCharsets.UTF_8))
                .equals(withoutEpoch(new String(b, StandardCharsets.UTF_8)));
    }

    private static String withoutEpoch(String claim) {
        int at = claim.lastIndexOf('@');
        return at < 0 ? claim : claim.substring(0, at);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
