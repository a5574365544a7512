package io.sluice.jobs.event;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One valid event (see DESIGN.md): {@code event_id} is unique and chosen by the sender, {@code ts} is the event time
 * in epoch milliseconds, {@code attributes} a free map of strings.
 */
public record Event(
        String eventId,
        long ts,
        String accountId,
        String experimentId,
        String variationId,
        String userId,
        String type,
        Map<String, String> attributes)
        implements Serializable {
    public Event {
        Objects.requireNonNull(eventId, "eventId");
        attributes = Map.copyOf(attributes);
    }
}
