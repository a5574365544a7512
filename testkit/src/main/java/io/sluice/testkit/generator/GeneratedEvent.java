package io.sluice.testkit.generator;

import io.sluice.api.event.DeadLetterReason;

/**
 * One generated record: its sequence number, the event id it carries (null when malformed), its event time, its
 * arrival time (the Kafka record timestamp the producer sets), its bytes, why the parser must reject it (null when
 * it is valid JSON of an event), and, for a resend, the sequence number of the event it repeats (-1 otherwise).
 */
public record GeneratedEvent(
        long seq, String eventId, long ts, long arrival, byte[] json, DeadLetterReason rejectedAs, long resendOf) {
    /** Whether the parser rejects it. */
    public boolean malformed() {
        return rejectedAs != null;
    }

    /**
     * Its bytes as one line of newline-delimited JSON, for push ingestion: a valid event's line breaks (the generator
     * puts some between tokens) become spaces, which JSON reads alike; a sender that put them on the wire would split
     * the event into fragments. Malformed records are sent as they are.
     */
    public byte[] ndjsonLine() {
        if (malformed()) {
            return json;
        }
        byte[] line = json.clone();
        for (int i = 0; i < line.length; i++) {
            if (line[i] == '\n' || line[i] == '\r') {
                line[i] = ' ';
            }
        }
        return line;
    }

    /** Whether it repeats an earlier event (same {@code event_id} and bytes). */
    public boolean resend() {
        return resendOf >= 0;
    }
}
