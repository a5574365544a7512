package io.sluice.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * The layout of a block a receiver stores: its first record is the arrival stamp, the receiver's time when it stored
 * the block (before it acknowledged the request), followed by the request's lines. The stamp lies in the write-ahead
 * log with the lines, so every run of the block (a retried task, a restart, a takeover) sees the same arrival, and no
 * sender can forge it: a sender's lines never come first. Blocks stored before receivers stamped them have no stamp.
 */
public final class ReceivedBlock {
    /** A NUL byte first: no line of a request parses as an event with it. */
    private static final byte[] PREFIX = "\u0000sluice-arrival ".getBytes(StandardCharsets.US_ASCII);

    private ReceivedBlock() {}

    /** The block to store for {@code lines}, received at {@code arrivalMillis}: the stamp, then the lines. */
    public static Iterator<byte[]> stamped(long arrivalMillis, Iterator<byte[]> lines) {
        byte[] digits = Long.toString(arrivalMillis).getBytes(StandardCharsets.US_ASCII);
        byte[] stamp = Arrays.copyOf(PREFIX, PREFIX.length + digits.length);
        System.arraycopy(digits, 0, stamp, PREFIX.length, digits.length);
        return prepend(stamp, lines);
    }

    /** A block's arrival stamp (empty for a block stored without one) and its lines. */
    public record Opened(OptionalLong arrival, Iterator<byte[]> lines) {}

    /** Splits a stored block into its stamp and its lines. */
    public static Opened open(Iterator<byte[]> block) {
        if (!block.hasNext()) {
            return new Opened(OptionalLong.empty(), block);
        }
        byte[] first = block.next();
        OptionalLong arrival = arrival(first);
        return new Opened(arrival, arrival.isPresent() ? block : prepend(first, block));
    }

    private static OptionalLong arrival(byte[] record) {
        if (record.length <= PREFIX.length || !Arrays.equals(record, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(
                    new String(record, PREFIX.length, record.length - PREFIX.length, StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Iterator<byte[]> prepend(byte[] head, Iterator<byte[]> rest) {
        return new Iterator<>() {
            private boolean headTaken;

            @Override
            public boolean hasNext() {
                return !headTaken || rest.hasNext();
            }

            @Override
            public byte[] next() {
                if (!headTaken) {
                    headTaken = true;
                    return head;
                }
                if (!rest.hasNext()) {
                    throw new NoSuchElementException();
                }
                return rest.next();
            }
        };
    }
}
