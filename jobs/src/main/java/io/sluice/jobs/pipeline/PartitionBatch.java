package io.sluice.jobs.pipeline;

import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One Kafka partition's share of a batch, parsed: the valid events and the dead letters, both in offset order.
 * Records before the range's (aligned) start are dropped: they belong to an already committed batch.
 */
public record PartitionBatch(SourceRange range, List<PositionedEvent> valid, List<DeadLetter> deadLetters) {

    /**
     * Parses every record of {@code records} that lies in {@code range}; {@code arrival} gives each record's arrival
     * time ({@link PositionedEvent#arrival}).
     */
    public static <R> PartitionBatch parse(
            SourceRange range,
            Iterator<R> records,
            ToLongFunction<R> offset,
            ToLongFunction<R> arrival,
            Function<R, byte[]> value,
            EventParser parser) {
        List<PositionedEvent> valid = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        while (records.hasNext()) {
            R record = records.next();
            long at = offset.applyAsLong(record);
            if (at < range.from() || at >= range.until()) {
                continue;
            }
            byte[] raw = value.apply(record);
            ParseOutcome outcome = parser.parse(raw);
            if (outcome instanceof ParseOutcome.Valid v) {
                valid.add(new PositionedEvent(at, v.event(), v.normalized(), arrival.applyAsLong(record)));
            } else if (outcome instanceof ParseOutcome.Rejected r) {
                dead.add(new DeadLetter(range.key(), at, r.reason(), r.detail(), raw == null ? new byte[0] : raw));
            }
        }
        return new PartitionBatch(range, valid, dead);
    }
}
