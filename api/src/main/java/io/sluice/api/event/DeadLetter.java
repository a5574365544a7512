package io.sluice.api.event;

import io.sluice.checkpoint.TopicPartitionKey;

/**
 * A rejected record: where it was read, why it was rejected, and its raw bytes, kept whole.
 *
 * @param job the job that rejected it, for itself alone (the other jobs got it); empty when the pipeline rejected it
 */
public record DeadLetter(
        TopicPartitionKey source, long offset, DeadLetterReason reason, String detail, byte[] raw, String job) {
    /** A record the pipeline rejected, for every job. */
    public DeadLetter(TopicPartitionKey source, long offset, DeadLetterReason reason, String detail, byte[] raw) {
        this(source, offset, reason, detail, raw, "");
    }
}
