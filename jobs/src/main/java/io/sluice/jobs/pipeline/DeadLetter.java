package io.sluice.jobs.pipeline;

import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.DeadLetterReason;

/** A rejected record: where it was read, why it was rejected, and its raw bytes, kept whole. */
public record DeadLetter(TopicPartitionKey source, long offset, DeadLetterReason reason, String detail, byte[] raw) {}
