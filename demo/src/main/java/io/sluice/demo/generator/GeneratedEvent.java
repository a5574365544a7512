package io.sluice.demo.generator;

/** One generated record: its sequence number, the event id it carries (null when malformed) and its bytes. */
public record GeneratedEvent(long seq, String eventId, byte[] json, boolean malformed) {}
