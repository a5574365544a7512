package io.sluice.jobs.sink.hbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.Visitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The results table's layout (README, "Results in HBase"):
 *
 * <ul>
 *   <li>count rows, family {@code c}: row {@code 'C' | len account | account | len experiment | experiment |
 *       window start (8 bytes, big-endian, sign-flipped) | variation}, one column per event type holding the count
 *       as an 8-byte long. All variations of one experiment over a time range are one scan of the prefix up to the
 *       window start. Cell timestamp = the window's end: a rewrite replaces the cell, never adds a version. Family
 *       {@code t} of a count row holds {@code t:epoch}, the epoch of the leader that last wrote it (the fence), {@code t:visitors} (distinct users in the
 *       window, 8-byte long) and {@code t:new_visitors} (those of them no earlier-claimed window of the variation
 *       counted: summed over the windows, the variation's visitors over the experiment's lifetime); with HyperLogLog
 *       counting, {@code t:visitors} is the estimate and {@code t:visitors_hll} the sketch (compact HLL_4 bytes), whose
 *       union over the windows estimates the lifetime visitors. {@code t:revision}: the late events the row counts, each
 *       a revision of its window (absent: never revised).
 *   <li>top rows, family {@code t}: row {@code 'T' | window end}, columns {@code 001}, {@code 002}, ... holding
 *       {@code {"account_id": ..., "experiment_id": ..., "events": n}}; cell timestamp = window end.
 *   <li>visitor claim rows, family {@code t}: row {@code 'V' | len account | account | len experiment | experiment |
 *       len variation | variation | user}, column {@code t:window}: the start of the count window that counted the
 *       user as new to the variation (8 bytes), written once ({@code checkAndMutate} if absent).
 *   <li>meta rows, family {@code t}: {@code "Mlatest-top"} ({@code t:window_end}: the end of the newest final top row),
 *       {@code "Mwatermark"} ({@code t:watermark}); cell timestamp = the value, so the newest always wins.
 * </ul>
 */
public final class ResultsLayout {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final byte[] COUNTS = {'c'};
    public static final byte[] TOP = {'t'};
    public static final byte[] WINDOW_END = bytes("window_end");
    public static final byte[] WATERMARK = bytes("watermark");
    public static final byte[] EPOCH = bytes("epoch");
    public static final byte[] VISITORS = bytes("visitors");
    public static final byte[] NEW_VISITORS = bytes("new_visitors");
    public static final byte[] VISITOR_SKETCH = bytes("visitors_hll");
    public static final byte[] REVISION = bytes("revision");
    public static final byte[] LATEST_TOP_ROW = bytes("Mlatest-top");
    public static final byte[] WATERMARK_ROW = bytes("Mwatermark");
    public static final byte[] TOP_PREFIX = {'T'};
    public static final byte[] COUNT_PREFIX = {'C'};
    public static final byte[] CLAIM_PREFIX = {'V'};
    public static final byte[] CLAIMED_WINDOW = bytes("window");

    private ResultsLayout() {}

    /** The row of one variation's counts in one window. */
    public static byte[] countRow(long windowStart, ExperimentKey experiment, String variationId) {
        byte[] prefix = experimentPrefix(experiment);
        byte[] variation = bytes(variationId);
        return ByteBuffer.allocate(prefix.length + 8 + variation.length)
                .put(prefix)
                .putLong(windowStart ^ Long.MIN_VALUE)
                .put(variation)
                .array();
    }

    /** The first row of an experiment's window starting at or after {@code windowStart}: a scan's start row. */
    public static byte[] countScanStart(ExperimentKey experiment, long windowStart) {
        byte[] prefix = experimentPrefix(experiment);
        return ByteBuffer.allocate(prefix.length + 8)
                .put(prefix)
                .putLong(windowStart ^ Long.MIN_VALUE)
                .array();
    }

    /** The prefix every count row of {@code experiment} starts with. */
    public static byte[] experimentPrefix(ExperimentKey experiment) {
        byte[] account = bytes(experiment.accountId());
        byte[] id = bytes(experiment.experimentId());
        return ByteBuffer.allocate(1 + 2 + account.length + 2 + id.length)
                .put(COUNT_PREFIX)
                .putShort((short) account.length)
                .put(account)
                .putShort((short) id.length)
                .put(id)
                .array();
    }

    /** The row of a visitor's lifetime claim. */
    public static byte[] claimRow(Visitor visitor) {
        byte[] account = bytes(visitor.variation().experiment().accountId());
        byte[] id = bytes(visitor.variation().experiment().experimentId());
        byte[] variation = bytes(visitor.variation().variationId());
        byte[] user = bytes(visitor.userId());
        return ByteBuffer.allocate(1 + 2 + account.length + 2 + id.length + 2 + variation.length + user.length)
                .put(CLAIM_PREFIX)
                .putShort((short) account.length)
                .put(account)
                .putShort((short) id.length)
                .put(id)
                .putShort((short) variation.length)
                .put(variation)
                .put(user)
                .array();
    }

    /** Decodes a count row key (without its cells). */
    public static CountRow decodeCountRow(byte[] row) {
        ByteBuffer b = ByteBuffer.wrap(row);
        if (b.get() != 'C') {
            throw new IllegalArgumentException("not a count row");
        }
        String account = string(b, b.getShort() & 0xFFFF);
        String experiment = string(b, b.getShort() & 0xFFFF);
        long windowStart = b.getLong() ^ Long.MIN_VALUE;
        String variation = string(b, b.remaining());
        return new CountRow(windowStart, new ExperimentKey(account, experiment), variation, java.util.Map.of());
    }

    public static byte[] topRow(long windowEnd) {
        return ByteBuffer.allocate(9)
                .put(TOP_PREFIX)
                .putLong(windowEnd ^ Long.MIN_VALUE)
                .array();
    }

    public static long decodeTopRow(byte[] row) {
        return ByteBuffer.wrap(row, 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    /** The column of rank {@code rank} (1-based) in a top row. */
    public static byte[] rankColumn(int rank) {
        return bytes(String.format(Locale.ROOT, "%03d", rank));
    }

    public static byte[] rankValue(RankedExperiment ranked) {
        ObjectNode node = JSON.createObjectNode()
                .put("account_id", ranked.experiment().accountId())
                .put("experiment_id", ranked.experiment().experimentId())
                .put("events", ranked.events());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RankedExperiment decodeRank(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return new RankedExperiment(
                    new ExperimentKey(
                            node.path("account_id").asText(),
                            node.path("experiment_id").asText()),
                    node.path("events").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable top row cell: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    /** A cell timestamp for an event time: HBase needs it non-negative. */
    public static long cellTimestamp(long time) {
        return Math.max(0, time);
    }

    private static String string(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
