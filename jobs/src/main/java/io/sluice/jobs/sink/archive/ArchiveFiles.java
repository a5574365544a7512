package io.sluice.jobs.sink.archive;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The two file operations of the archive, on a file system ({@code hdfs://}, {@code file://}) or an object store
 * ({@code s3a://}):
 *
 * <ul>
 *   <li>{@link #write}: a task writes a staged file (overwriting what a failed attempt left); on a file system the
 *       bytes are synced to the data nodes before the task reports success, so a commit never publishes a file that
 *       is not durable;
 *   <li>{@link #move}: the driver publishes a staged file under its final name, atomically (HDFS rename, or one
 *       server-side copy in S3A), so readers see no file or the whole file. Moving again is harmless: a source that is
 *       gone with the target in place was published already (by this driver before a crash, or by another driver
 *       that rolled the same committed stage forward).
 * </ul>
 */
public final class ArchiveFiles {
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
        try (FSDataOutputStream out = fs.create(file, true)) {
            body.writeTo(out);
            if (!objectStore) {
                out.hsync();
            }
        }
    }

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
            FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(staged, target, Options.Rename.OVERWRITE);
        } catch (FileNotFoundException e) {
            if (!fs.exists(target)) {
                throw e;
            }
        }
    }

    public FileSystem fileSystem() {
        return fs;
    }
}
