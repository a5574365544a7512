package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.pipeline.PositionedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Deduplication by identity for a source that can deliver one event twice at different positions (a producer's retry
 * at another Kafka offset, an agent's resend, a push sender retrying a request whose answer it never got): the first position to claim an event's identity in the event table
 * owns it, and only the owner's copy goes to the outputs. A claim is a cell {@code e:claim} holding the position, written
 * with {@code checkAndMutate(ifNotExists)}; a replay of the same position finds its own claim and keeps the event, so
 * the outputs are a function of the positions, as the commit protocol needs. The identity of a valid event is its
 * {@code event_id} (its event-store row). Dead letters have none and are not claimed: distinct records with identical
 * bytes (two senders' {@code {}}) are each kept, and a retried push request's dead letters are kept twice. A claim
 * lives as long as the row: that is the deduplication window.
 */
public final class EventClaims {
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
        List<PositionedEvent> valid = new ArrayList<>();
        try (Table table = hbase.getTable(TableName.valueOf(settings.eventTable()))) {
            for (int from = 0; from < batch.valid().size(); from += CHUNK) {
                List<PositionedEvent> chunk =
                        batch.valid().subList(from, Math.min(batch.valid().size(), from + CHUNK));
                List<Get> gets = new ArrayList<>(chunk.size());
                for (PositionedEvent e : chunk) {
                    gets.add(new Get(EventRowKey.of(e.event().eventId(), settings.saltBuckets()))
                            .addColumn(HBaseSettings.FAMILY, CLAIM));
                }
                Result[] owners = table.get(gets);
                for (int k = 0; k < chunk.size(); k++) {
                    byte[] owner = owners[k].getValue(HBaseSettings.FAMILY, CLAIM);
                    if (owner == null
                            || Arrays.equals(
                                    owner, bytes(position + "+" + chunk.get(k).offset()))) {
                        valid.add(chunk.get(k));
                    }
                }
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
        List<byte[]> rows = new ArrayList<>();
        List<byte[]> owners = new ArrayList<>();
        for (PositionedEvent e : batch.valid()) {
            rows.add(EventRowKey.of(e.event().eventId(), settings.saltBuckets()));
            owners.add(bytes(position + "+" + e.offset()));
        }
        boolean[] mine = claim(hbase, settings, rows, owners);
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
    private static boolean[] claim(Connection hbase, HBaseSettings settings, List<byte[]> rows, List<byte[]> owners)
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
                    put.setDurability(Durability.SYNC_WAL);
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
                    for (int k = 0; k < taken.size(); k++) {
                        ownerOf[taken.get(k)] = stored[k].getValue(HBaseSettings.FAMILY, CLAIM);
                    }
                }
            }
        }
        boolean[] mine = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            mine[i] = Arrays.equals(ownerOf[firstOf.get(ByteBuffer.wrap(rows.get(i)))], owners.get(i));
        }
        return mine;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
