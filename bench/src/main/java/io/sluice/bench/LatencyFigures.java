package io.sluice.bench;

/**
 * End-to-end latency of one contender at a paced rate: from handing an event to the Kafka producer to the moment
 * the contender reports its batch complete (Sluice: committed in ZooKeeper after every sink; Structured Streaming:
 * the batch's progress event).
 */
public record LatencyFigures(
        String contender, double eventsPerSecond, long events, long p50Ms, long p99Ms, long maxMs) {}
