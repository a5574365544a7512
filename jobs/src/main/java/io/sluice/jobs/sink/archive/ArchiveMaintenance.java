package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary root's upkeep on a thread of its own, so it never holds up a batch: compaction of the hours that became
 * final ({@link ArchiveCompactor}; the replicas then mirror each one) and retention ({@link ArchiveRetention}). Each
 * commit moves the horizons ({@link #advance}); a failure is retried with bounded backoff, every step being safe to
 * run again.
 */
public final class ArchiveMaintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveMaintenance.class);
    /** No horizon yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final FileSystem fs;
    private final ArchiveLayout primary;
    private final ArchiveCompactor compactor; // null: compaction off
    private final List<ArchiveReplicator> replicas;
    private final AtomicLong compacted = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private long finalBefore = NONE; // guarded by this
    private long retainFrom = NONE; // guarded by this
    private long done = NONE; // guarded by this: the horizons last worked through
    private long retained = NONE; // guarded by this
    private boolean settled; // guarded by this
    private boolean closed; // guarded by this
    private Thread thread;

    /** @param compactor null when compaction is off */
    public ArchiveMaintenance(
            FileSystem fs, ArchiveLayout primary, ArchiveCompactor compactor, List<ArchiveReplicator> replicas) {
        this.fs = fs;
        this.primary = primary;
        this.compactor = compactor;
        this.replicas = List.copyOf(replicas);
    }

    public synchronized void start() {
        thread = new Thread(this::run, "archive-maintenance");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * After a commit: hours ending at or before {@code finalBefore} get no more events ({@link #NONE}: unknown), and
     * hours ending at or before {@code retainFrom} are past retention ({@link #NONE}: keep all). Never blocks.
     */
    public synchronized void advance(long finalBefore, long retainFrom) {
        this.finalBefore = Math.max(this.finalBefore, finalBefore);
        this.retainFrom = Math.max(this.retainFrom, retainFrom);
        notifyAll();
    }

    /** Hours compacted since the start. */
    public long compactedHours() {
        return compacted.get();
    }

    /** Final hours not compacted yet, as last counted. */
    public long pendingHours() {
        return pending.get();
    }

    /** Waits up to {@code timeout} for the horizons given so far to be worked through (tests, a stop). */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && (done < finalBefore || retained < retainFrom || !settled)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 200));
        }
        return true;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        while (true) {
            long before;
            long retain;
            synchronized (this) {
                while (!closed && settled && done >= finalBefore && retained >= retainFrom) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                before = finalBefore;
                retain = retainFrom;
            }
            try {
                if (compactor != null) {
                    if (!settledOnce()) {
                        // an hour a crash left midway and settle() finished was never mirrored: mirror it now
                        for (String hour : compactor.settle()) {
                            replicas.forEach(r -> r.compacted(hour));
                        }
                        synchronized (this) {
                            settled = true;
                        }
                    }
                    if (before != NONE) {
                        compact(before);
                    }
                }
                if (retain != NONE) {
                    ArchiveRetention.deleteHoursBefore(fs, primary, retain);
                    replicas.forEach(r -> r.retainFrom(retain));
                }
                synchronized (this) {
                    settled = true;
                    done = before;
                    retained = retain;
                    notifyAll();
                }
                backoff.reset();
            } catch (IOException | RuntimeException e) {
                LOG.warn("archive maintenance: {}; retrying in {} ms", e.toString(), backoff.nextMillis());
                if (!backoff.await()) {
                    return;
                }
            }
        }
    }

    private synchronized boolean settledOnce() {
        return settled;
    }

    private void compact(long before) throws IOException {
        List<String> hours = compactor.hoursBefore(before);
        pending.set(hours.size());
        for (String hour : hours) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            if (compactor.compact(hour).isPresent()) {
                compacted.incrementAndGet();
            }
            pending.decrementAndGet();
            replicas.forEach(r -> r.compacted(hour));
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = thread;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
