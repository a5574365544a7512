package io.sluice.jobs.sink.hbase;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Row keys of the event store: a two-hex-digit salt derived from {@code event_id} (spreads writes over
 * {@code buckets} pre-split regions), then the {@code event_id} itself. A pure function, so a replay writes the same
 * row; the salt is recomputable by readers that know the id.
 */
public final class EventRowKey {
    /** At most 256 buckets: the salt is one byte written as two hex digits. */
    public static final int MAX_BUCKETS = 256;

    /** Every salt's two hex digits: formatting them per event was a tenth of a writer's samples in a profile. */
    private static final String[] SALTS = new String[MAX_BUCKETS];

    static {
        for (int b = 0; b < MAX_BUCKETS; b++) {
            SALTS[b] = String.format("%02x", b);
        }
    }

    private EventRowKey() {}

    public static byte[] of(String eventId, int buckets) {
        return (salt(eventId, buckets) + eventId).getBytes(StandardCharsets.UTF_8);
    }

    public static String salt(String eventId, int buckets) {
        CRC32 crc = new CRC32();
        crc.update(eventId.getBytes(StandardCharsets.UTF_8));
        return SALTS[(int) (crc.getValue() % buckets)];
    }

    /** The region split points for {@code buckets} salts: the start key of every bucket but the first. */
    public static byte[][] splitKeys(int buckets) {
        byte[][] splits = new byte[buckets - 1][];
        for (int b = 1; b < buckets; b++) {
            splits[b - 1] = SALTS[b].getBytes(StandardCharsets.UTF_8);
        }
        return splits;
    }
}
