package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.Backoff;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replica root (S3 as a backup) a copy of the primary archive root, asynchronously: a thread of its own copies
 * every file the primary publishes, under the same name, and at start every published file the replica lacks. A
 * published file never changes (its name carries its source position), so a copy is idempotent and a file the replica
 * holds with the same length is done. A failing replica (S3 down or frozen) is retried with bounded backoff and then
 * reconciled whole; it stalls nothing but itself.
 */
public final class ArchiveReplicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReplicator.class);
    private final FileSystem primaryFs;
    private final ArchiveLayout primary;
    private final FileSystem replicaFs;
    private final ArchiveLayout replica;
    private final Set<String> pending = new LinkedHashSet<>(); // guarded by this
    private final AtomicLong copied = new AtomicLong();
    private boolean reconcile = true; // guarded by this
    private boolean closed; // guarded by this
    private Thread thread;

    public ArchiveReplicator(FileSystem primaryFs, ArchiveLayout primary, FileSystem replicaFs, ArchiveLayout replica) {
        this.primaryFs = primaryFs;
        this.primary = primary;
        this.replicaFs = replicaFs;
        this.replica = replica;
    }

    /** Starts copying: first every published file the replica lacks, then each one the primary publishes. */
    public synchronized void start() {
        thread = new Thread(this::run, "archive-replica " + replica.root());
        thread.setDaemon(true);
        thread.start();
    }

    /** The primary published {@code relative} (a name under its root): copy it. Never blocks. */
    public synchronized void published(String relative) {
        pending.add(relative);
        notifyAll();
    }

    /** Files the replica is known to lack: published and not copied yet (0 once a reconcile found nothing more). */
    public synchronized long lagFiles() {
        return pending.size() + (reconcile ? 1 : 0);
    }

    /** Files copied since the start. */
    public long copiedFiles() {
        return copied.get();
    }

    /** Waits up to {@code timeout} for the replica to hold every file published so far; true when it does. */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() || reconcile) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || closed) {
                return false;
            }
            wait(Math.min(left, 200));
        }
        return true;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        while (true) {
            String next;
            boolean whole;
            synchronized (this) {
                while (!closed && pending.isEmpty() && !reconcile) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                whole = reconcile;
                next = whole ? null : pending.iterator().next();
            }
            try {
                if (whole) {
                    int n = reconcile();
                    if (n > 0) {
                        LOG.info("archive replica {}: copied {} files it lacked", replica.root(), n);
                    }
                    synchronized (this) {
                        reconcile = false;
                        notifyAll();
                    }
                } else {
                    copy(next);
                    synchronized (this) {
                        pending.remove(next);
                        notifyAll();
                    }
                }
                backoff.reset();
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "archive replica {}: {}; retrying in {} ms",
                        replica.root(),
                        e.toString(),
                        backoff.nextMillis());
                synchronized (this) {
                    reconcile = true; // after a failure, check the whole replica again: it may have lost more
                    pending.clear();
                }
                if (!backoff.await()) {
                    return;
                }
            }
        }
    }

    /** Copies every published file of the primary that the replica lacks; returns how many. */
    public int reconcile() throws IOException {
        int n = 0;
        for (Path dir : new Path[] {primary.eventsRoot(), primary.deadLetterRoot()}) {
            RemoteIterator<LocatedFileStatus> files;
            try {
                files = primaryFs.listFiles(dir, true);
            } catch (FileNotFoundException e) {
                continue;
            }
            String prefix =
                    primaryFs.makeQualified(new Path(primary.root())).toUri().getPath() + "/";
            while (files.hasNext()) {
                LocatedFileStatus file = files.next();
                String path = file.getPath().toUri().getPath();
                if (ArchiveFiles.isTemporary(file.getPath()) || !path.startsWith(prefix)) {
                    continue;
                }
                if (copy(path.substring(prefix.length()), file.getLen())) {
                    n++;
                }
            }
        }
        return n;
    }

    private void copy(String relative) throws IOException {
        FileStatus source = primaryFs.getFileStatus(primary.published(relative));
        copy(relative, source.getLen());
    }

    /** Copies one file unless the replica holds it with its length already; true when it copied. */
    private boolean copy(String relative, long length) throws IOException {
        Path target = replica.published(relative);
        try {
            if (replicaFs.getFileStatus(target).getLen() == length) {
                return false;
            }
        } catch (FileNotFoundException e) {
            // not there yet
        }
        replicaFs.mkdirs(target.getParent());
        try (InputStream in = primaryFs.open(primary.published(relative))) {
            new ArchiveFiles(replicaFs).write(target, out -> IOUtils.copyBytes(in, out, 64 * 1024, false));
        }
        copied.incrementAndGet();
        return true;
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
