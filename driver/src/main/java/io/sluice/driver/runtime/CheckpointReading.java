package io.sluice.driver.runtime;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a checkpoint that must not be lost (push ingestion: it records the acknowledged blocks pending in the
 * receiver WAL). Spark's {@code getOrCreate(..., createOnError=false)} creates a fresh context only when the directory
 * holds no checkpoint file, and throws when files exist but none can be read: that is retried with a bounded backoff
 * (a DataNode restarting, an object store's 503), and an error that persists stops start-up with a message saying what
 * to do, never a silent fresh start.
 */
final class CheckpointReading {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointReading.class);
    static final int DEFAULT_ATTEMPTS = 5;
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);

    private CheckpointReading() {}

    /**
     * Runs {@code read} up to {@code attempts} times, waiting {@code backoff}, then twice as long, between attempts.
     *
     * @throws IllegalStateException after the last attempt failed, naming the directory, the cause and the way out
     */
    static <T> T withRetries(String checkpointDir, int attempts, Duration backoff, Callable<T> read)
            throws InterruptedException {
        long waitMs = backoff.toMillis();
        Exception last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return read.call();
            } catch (
                    Exception e) { // Spark throws SparkException (wrapping the read error) or the listing's IOException
                last = e;
                LOG.warn(
                        "reading the checkpoint in {} failed (attempt {} of {}): {}",
                        checkpointDir,
                        attempt,
                        attempts,
                        rootCause(e).toString());
                if (attempt < attempts) {
                    TimeUnit.MILLISECONDS.sleep(waitMs);
                    waitMs *= 2;
                }
            }
        }
        throw new IllegalStateException(
                "the checkpoint in " + checkpointDir + " exists but cannot be read after " + attempts + " attempts ("
                        + rootCause(last) + "). With sluice.source=http it is the only record of the acknowledged"
                        + " events still pending in the receiver WAL, so Sluice will not start without it. If the"
                        + " storage is unavailable, start again once it is back. If the checkpoint comes from another"
                        + " Sluice version, start that version and stop it gracefully (SIGTERM) so that it drains"
                        + " the WAL, or accept losing the pending events: then move " + checkpointDir
                        + " aside and start again (the driver resumes from the positions committed in ZooKeeper).",
                last);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
