package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.pipeline.DeadLetter;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.pipeline.PositionedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.CheckAndMutateResult;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Durability;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;

/**
 * Deduplication by identity for a source that can deliver one event twice at different positions (a push sender
 * retrying a request whose answer it never got): the first position to claim an event's identity in the event table
 * owns it, and only the owner's copy goes to the outputs. A claim is a cell {@code e:claim} holding the position, written
 * with {@code checkAndMutate(ifNotExists)}; a replay of the same position finds its own claim and keeps the event, so
 * the outputs are a function of the positions, as the commit protocol needs. The identity of a valid event is its
 * {@code event_id} (its event-store row); of a dead letter, the SHA-256 of its bytes, unless the caller does not claim
 * dead letters ({@code claimDeadLetters=false}, the push path): distinct records with identical bytes (two senders'
 * {@code {}}) are then each kept, and a retried request's dead letters are kept twice. A claim lives as long as the row:
 * that is the deduplication window.
 */
public final class EventClaims {
    public static final byte[] CLAIM = {'c', 'l', 'a', 'i', 'm'};
    private static final int CHUNK = 1000;

    private EventClaims() {}

    /** What {@link #keepFirst} kept, and how many copies it dropped. */
    public record Outcome(PartitionBatch batch, long duplicates) {}

    /**
     * The batch without the copies another position owns. {@code position} names the batch's source position; each
     * record's offset is appended to it.
     */
    public static Outcome keepFirst(Connection hbase, HBaseSettings settings, PartitionBatch batch, String position)
            throws IOException {
        return keepFirst(hbase, settings, batch, position, true);
    }

    /**
     * As {@link #keepFirst(Connection, HBaseSettings, PartitionBatch, String)}; with {@code claimDeadLetters=false}
     * every dead letter is kept without a claim (bytes are no identity: equal bytes from different senders are different
     * records).
     */
    public static Outcome keepFirst(
            Connection hbase, HBaseSettings settings, PartitionBatch batch, String position, boolean claimDeadLetters)
            throws IOException {
        if (!claimDeadLetters) {
            Outcome valid = keepFirst(
                    hbase, settings, new PartitionBatch(batch.range(), batch.valid(), List.of()), position, true);
            return new Outcome(
                    new PartitionBatch(batch.range(), valid.batch().valid(), batch.deadLetters()), valid.duplicates());
        }
        List<byte[]> rows = new ArrayList<>();
        List<byte[]> owners = new ArrayList<>();
        for (PositionedEvent e : batch.valid()) {
            rows.add(EventRowKey.of(e.event().eventId(), settings.saltBuckets()));
            owners.add(bytes(position + "+" + e.offset()));
        }
        for (DeadLetter d : batch.deadLetters()) {
            rows.add(EventRowKey.of("dead-letter-" + sha256(d.raw()), settings.saltBuckets()));
            owners.add(bytes(position + "+" + d.offset()));
        }
        boolean[] mine = claim(hbase, settings, rows, owners);
        List<PositionedEvent> valid = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        int i = 0;
        for (PositionedEvent e : batch.valid()) {
            if (mine[i++]) {
                valid.add(e);
            }
        }
        for (DeadLetter d : batch.deadLetters()) {
            if (mine[i++]) {
                dead.add(d);
            }
        }
        long dropped = rows.size() - (valid.size() + dead.size());
        return new Outcome(new PartitionBatch(batch.range(), valid, dead), dropped);
    }

    private static boolean[] claim(Connection hbase, HBaseSettings settings, List<byte[]> rows, List<byte[]> owners)
            throws IOException {
        boolean[] mine = new boolean[rows.size()];
        try (Table table = hbase.getTable(TableName.valueOf(settings.eventTable()))) {
            for (int from = 0; from < rows.size(); from += CHUNK) {
                int to = Math.min(rows.size(), from + CHUNK);
                List<CheckAndMutate> claims = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    Put put = new Put(rows.get(i)).addColumn(HBaseSettings.FAMILY, CLAIM, owners.get(i));
                    put.setDurability(Durability.SYNC_WAL);
                    claims.add(CheckAndMutate.newBuilder(rows.get(i))
                            .ifNotExists(HBaseSettings.FAMILY, CLAIM)
                            .build(put));
                }
                List<CheckAndMutateResult> results = table.checkAndMutate(claims);
                List<Integer> taken = new ArrayList<>();
                List<Get> gets = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    if (results.get(i - from).isSuccess()) {
                        mine[i] = true;
                    } else {
                        taken.add(i);
                        gets.add(new Get(rows.get(i)).addColumn(HBaseSettings.FAMILY, CLAIM));
                    }
                }
                if (!gets.isEmpty()) {
                    Result[] owners2 = table.get(gets);
                    for (int k = 0; k < taken.size(); k++) {
                        int i = taken.get(k);
                        mine[i] = Arrays.equals(owners2[k].getValue(HBaseSettings.FAMILY, CLAIM), owners.get(i));
                    }
                }
            }
        }
        return mine;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
