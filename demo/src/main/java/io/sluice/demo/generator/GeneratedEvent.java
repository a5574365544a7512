package io.sluice.demo.generator;

/**
 * One generated record: its sequence number, the event id it carries (null when malformed), its event time, and its
 * bytes.
 */
public record GeneratedEvent(long seq, String eventId, long ts, byte[] json, boolean malformed) {}
