package io.sluice.jobs.pipeline;

import io.sluice.jobs.event.Event;

/** A valid event with the offset it was read at and its raw bytes (what the archive and event store keep). */
public record PositionedEvent(long offset, Event event, byte[] raw) {}
