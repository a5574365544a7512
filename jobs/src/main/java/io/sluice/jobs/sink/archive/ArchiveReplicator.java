package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.Backoff;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * holds with the same length is done. A compacted hour is mirrored whole ({@link #mirrorHour}), and hours past retention
 * are deleted from the replica as from the primary. Files are copied by streaming them from the primary (S3A uploads
 * a large one in parts), never by a server-side copy. A failing replica (S3 down or frozen) is retried with bounded backoff and then
 * reconciled whole; it stalls nothing but itself.
 */
public final class ArchiveReplicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReplicator.class);
    private final FileSystem primaryFs;
    private final ArchiveLayout primary;
    private final FileSystem replicaFs;
    private final ArchiveLayout replica;
    private final Set<String> pending = new LinkedHashSet<>(); // guarded by this
    private final Set<String> compactedHours = new LinkedHashSet<>(); // guarded by this
    private long retainFrom = Long.MIN_VALUE; // guarded by this; hours ending at or before it are deleted
    private long retainedTo = Long.MIN_VALUE; // guarded by this
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

    /**
     * The primary compacted {@code hour} ({@code events/dt=D/hour=H}): copy its compacted files, delete the small ones
     * they replace, then copy its marker. Never blocks.
     */
    public synchronized void compacted(String hour) {
        compactedHours.add(hour);
        notifyAll();
    }

    /** Hours ending at or before {@code cutoff} (epoch ms) are past retention: delete them from the replica too. */
    public synchronized void retainFrom(long cutoff) {
        if (cutoff > retainFrom) {
            retainFrom = cutoff;
            notifyAll();
        }
    }

    /** Files (and compacted hours) the replica is known to lack; 0 once a reconcile found nothing more. */
    public synchronized long lagFiles() {
        return pending.size() + compactedHours.size() + (reconcile ? 1 : 0);
    }

    /** Files copied since the start. */
    public long copiedFiles() {
        return copied.get();
    }

    /** Waits up to {@code timeout} for the replica to hold every file published so far; true when it does. */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() || !compactedHours.isEmpty() || reconcile) {
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
            String hour;
            long retain;
            boolean whole;
            synchronized (this) {
                while (!closed
                        && pending.isEmpty()
                        && compactedHours.isEmpty()
                        && !reconcile
                        && retainFrom <= retainedTo) {
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
                next = whole || pending.isEmpty() ? null : pending.iterator().next();
                hour = whole || next != null || compactedHours.isEmpty()
                        ? null
                        : compactedHours.iterator().next();
                retain = retainFrom;
            }
            try {
                if (!whole && next == null && hour == null) {
                    ArchiveRetention.deleteHoursBefore(replicaFs, replica, retain);
                    synchronized (this) {
                        retainedTo = retain;
                    }
                } else if (hour != null) {
                    mirrorHour(hour);
                    synchronized (this) {
                        compactedHours.remove(hour);
                        notifyAll();
                    }
                } else if (whole) {
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
                    compactedHours.clear();
                }
                if (!backoff.await()) {
                    return;
                }
            }
        }
    }

    /**
     * Copies every published file of the primary that the replica lacks, and makes each compacted hour of the replica
     * the primary's ({@link #mirrorHour}); returns how many files it copied.
     */
    public int reconcile() throws IOException {
        int n = 0;
        List<String> compacted = new ArrayList<>();
        for (Path dir : new Path[] {primary.eventsRoot(), primary.deadLetterRoot()}) {
            for (Map.Entry<String, Long> file :
                    visibleFiles(primaryFs, primary, dir).entrySet()) {
                if (file.getKey().endsWith("/" + ArchiveCompactor.MARKER)) {
                    compacted.add(file.getKey().substring(0, file.getKey().lastIndexOf('/')));
                    continue;
                }
                try {
                    if (copy(file.getKey(), file.getValue())) {
                        n++;
                    }
                } catch (FileNotFoundException e) {
                    // compacted away meanwhile: its hour is mirrored below, or at the next reconcile
                }
            }
        }
        for (String hour : compacted) {
            n += mirrorHour(hour);
        }
        return n;
    }

    /**
     * Makes a compacted hour of the replica the primary's: copies its compacted files, deletes the small files they
     * replace, and writes the marker last, so a replica's reader waiting for the marker sees the hour whole. Returns
     * how many files it copied.
     */
    int mirrorHour(String hour) throws IOException {
        Path primaryHour = primary.published(hour);
        if (!primaryFs.exists(new Path(primaryHour, ArchiveCompactor.MARKER))) {
            return 0; // rolled back, or deleted by retention: the next reconcile sees what there is
        }
        Map<String, Long> files = visibleFiles(primaryFs, primary, primaryHour);
        int n = 0;
        for (Map.Entry<String, Long> file : files.entrySet()) {
            if (EventFormat.isEventFile(file.getKey().substring(file.getKey().lastIndexOf('/') + 1))
                    && copy(file.getKey(), file.getValue())) {
                n++;
            }
        }
        for (String stale :
                visibleFiles(replicaFs, replica, replica.published(hour)).keySet()) {
            if (!files.containsKey(stale)) {
                replicaFs.delete(replica.published(stale), false);
            }
        }
        Path marker = replica.published(hour + "/" + ArchiveCompactor.MARKER);
        if (!replicaFs.exists(marker)) {
            replicaFs.create(marker, true).close();
        }
        return n;
    }

    /**
     * The files under {@code dir} of a root readers see (relative name to length): none under a directory or with a
     * name starting with {@code _} or {@code .}, but hour markers ({@code _SUCCESS}).
     */
    public static Map<String, Long> visibleFiles(FileSystem fs, ArchiveLayout layout, Path dir) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it;
        try {
            it = fs.listFiles(dir, true);
        } catch (FileNotFoundException e) {
            return files;
        }
        String prefix = fs.makeQualified(new Path(layout.root())).toUri().getPath() + "/";
        while (it.hasNext()) {
            LocatedFileStatus file = it.next();
            String path = file.getPath().toUri().getPath();
            if (!path.startsWith(prefix)) {
                continue;
            }
            String relative = path.substring(prefix.length());
            String[] parts = relative.split("/");
            boolean hidden = false;
            for (int i = 0; i < parts.length; i++) {
                boolean marker = i == parts.length - 1 && parts[i].equals(ArchiveCompactor.MARKER);
                hidden |= !marker && (parts[i].startsWith("_") || parts[i].startsWith("."));
            }
            if (!hidden) {
                files.put(relative, file.getLen());
            }
        }
        return files;
    }

    private void copy(String relative) throws IOException {
        FileStatus source;
        try {
            source = primaryFs.getFileStatus(primary.published(relative));
        } catch (FileNotFoundException e) {
            return; // compacted away, or past retention: the hour's mirror or the retention deals with it
        }
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
