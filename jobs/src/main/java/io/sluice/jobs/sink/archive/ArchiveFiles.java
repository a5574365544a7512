package io.sluice.jobs.sink.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The two file operations of the archive, on a file system ({@code hdfs://}, {@code file://}) or an object store
 * ({@code s3a://}):
 *
 * <ul>
 *   <li>{@link #write}: a task writes a staged file, whole or not at all, whatever other attempts of the same task
 *       (a retry, a speculative copy, a zombie left running on a lost executor) do at the same time or later. On a
 *       file system the bytes go to a temporary name unique to the attempt ({@code .NAME.UUID.tmp}, hidden from
 *       readers and from {@link ArchiveRecovery}), are synced to the data nodes, and the file is then renamed to its
 *       staged name (atomic, overwriting the same bytes an earlier attempt wrote); so a commit never publishes a
 *       file that is partial or not durable. On an object store a file is one PUT when the stream closes; a failed
 *       write aborts the stream instead of closing it, so nothing partial is uploaded;
 *   <li>{@link #move}: the driver publishes a staged file under its final name, atomically (HDFS rename, or one
 *       server-side copy in S3A), so readers see no file or the whole file. Moving again is harmless: a source that is
 *       gone with the target in place was published already (by this driver before a crash, or by another driver
 *       that rolled the same committed stage forward).
 * </ul>
 */
public final class ArchiveFiles {
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private final FileSystem fs;
    private final boolean objectStore;

    public ArchiveFiles(FileSystem fs) {
        this.fs = fs;
        this.objectStore = fs.getUri().getScheme().startsWith("s3");
    }

    /** What writes a file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public void write(Path file, Body body) throws IOException {
        if (objectStore) {
            putObject(file, body);
            return;
        }
        Path temporary = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            try (FSDataOutputStream out = fs.create(temporary, false)) {
                body.writeTo(out);
                out.hsync();
            }
            FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, file, Options.Rename.OVERWRITE);
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(temporary, false);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** True for a name {@link #write} uses while an attempt writes, or any other name hidden from readers. */
    public static boolean isTemporary(Path file) {
        String name = file.getName();
        return name.startsWith(".") || name.startsWith("_");
    }

    private void putObject(Path file, Body body) throws IOException {
        FSDataOutputStream out = fs.create(file, true);
        try {
            body.writeTo(out);
        } catch (Throwable t) {
            // closing would upload the part written so far under the staged name: abort instead (S3A implements it
            // since HADOOP-16906); a store that cannot abort uploads on close only, so leaving it unclosed uploads
            // nothing
            if (out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
                out.abort();
            }
            throw t;
        }
        out.close();
    }

    /**
     * Publishes a staged file under its final name. Two publishers may move the same stage at once (a driver's stop
     * next to its last batch's publication, a reader's roll-forward next to a running leader); a target that exists
     * holds the same bytes (a committed range's file is written once per stage, and its name is its range), so it
     * counts as published. Never with {@code OVERWRITE}: outside HDFS that deletes the target first and then moves,
     * so it deleted the file the other publisher had just moved there and found no source left to move.
     */
    public void move(Path staged, Path target) throws IOException {
        if (objectStore) {
            // S3A renames by copying: a target that exists holds the same bytes (a stage is published whole or
            // again), so only the staged copy is left to drop
            if (fs.exists(target)) {
                fs.delete(staged, false);
                return;
            }
            try {
                if (fs.rename(staged, target) || fs.exists(target)) {
                    return;
                }
            } catch (IOException e) { // S3A: the source vanished mid-copy (RemoteFileChangedException, 404)
                if (fs.exists(target)) {
                    return; // another driver published it meanwhile
                }
                throw e;
            }
            throw new IOException("could not publish " + staged + " as " + target);
        }
        fs.mkdirs(target.getParent());
        try {
            FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(staged, target, Options.Rename.NONE);
        } catch (IOException e) { // the target exists already, or the other publisher moved the source meanwhile
            if (!fs.exists(target)) {
                throw e;
            }
        }
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** {@code out} for a writer that closes what it writes to: closing flushes and leaves {@code out} open. */
    static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** The children of {@code dir}; none when it does not exist. */
    static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (java.io.FileNotFoundException e) {
            return new FileStatus[0];
        }
    }
}
