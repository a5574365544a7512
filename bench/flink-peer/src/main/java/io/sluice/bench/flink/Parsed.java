package io.sluice.bench.flink;

import io.sluice.api.event.Event;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record parsed by the project's parser, as the Structured Streaming peer's {@code Record}: a valid event
 * (its fields, {@code reason} null), or a dead letter with its reason, an id of its own position ({@code
 * dead-letter+<partition>+<offset>}) and the record's Kafka time. A record, so that Flink serialises it as a POJO.
 *
 * @param time the event time: the event's {@code ts}, or a dead letter's Kafka record timestamp
 * @param raw the record's bytes as read
 */
public record Parsed(
        String id,
        long time,
        String account,
        String experiment,
        String variation,
        String type,
        byte[] raw,
        String reason) {

    static Parsed of(EventParser parser, ConsumerRecord<byte[], byte[]> record) {
        byte[] raw = record.value();
        ParseOutcome outcome = parser.parse(raw);
        if (outcome instanceof ParseOutcome.Valid valid) {
            Event e = valid.event();
            return new Parsed(
                    e.eventId(), e.ts(), e.accountId(), e.experimentId(), e.variationId(), e.type(), raw, null);
        }
        String id = "dead-letter+" + record.partition() + "+" + record.offset();
        String reason = ((ParseOutcome.Rejected) outcome).reason().code();
        return new Parsed(id, record.timestamp(), null, null, null, null, raw, reason);
    }

    boolean valid() {
        return reason == null;
    }
}
