package io.sluice.jobs.source;

import io.sluice.checkpoint.TopicPartitionKey;

/**
 * How push ingestion (the HTTP receivers) numbers its records: receiver block {@code b} of the batch at time {@code t}
 * is partition {@code b} of the source {@link #NAME}, its record {@code i} at offset {@code t * RECORDS_PER_BLOCK + i};
 * the whole source has one position and one event-time clock, {@link #CLOCK}.
 */
public final class PushSource {
    /** The source name of push-ingested records in archive file names and claims. */
    public static final String NAME = "http";

    /**
     * The claim positions of push-ingested events read again from the primary archive root by a lagging job's
     * catch-up: {@code http-archived+<block>+<offset>}, numbered as the archive's files are read back.
     */
    public static final String ARCHIVED = "http-archived";

    /** Records a receiver block may hold (sluice.http-source.max-lines is at most this). */
    public static final long RECORDS_PER_BLOCK = 1_000_000;

    /**
     * The one position and event-time clock of push ingestion, and its entry in the committed offsets: the next
     * position to write, {@code batchTime * RECORDS_PER_BLOCK} of the next batch.
     */
    public static final TopicPartitionKey CLOCK = new TopicPartitionKey("_http", 0);

    private PushSource() {}
}
