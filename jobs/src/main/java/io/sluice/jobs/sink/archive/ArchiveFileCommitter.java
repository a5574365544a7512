package io.sluice.jobs.sink.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Writes one archive file so that readers see either no file, the previous version, or the whole new one:
 *
 * <ul>
 *   <li>object stores ({@code s3a://}): one create-and-close, which S3A turns into a single PUT (or a multipart
 *       upload completed at close), so the object appears whole;
 *   <li>file systems ({@code hdfs://}, {@code file://}): write under {@code _tmp/} and rename over the target.
 * </ul>
 *
 * A failure leaves at most a file under {@code _tmp/}, which recovery deletes; it is thrown to the caller so that
 * the batch fails and is written again.
 */
public final class ArchiveFileCommitter {
    private final FileSystem fs;
    private final Path tempDir;
    private final boolean objectStore;

    public ArchiveFileCommitter(FileSystem fs, Path tempDir) {
        this.fs = fs;
        this.tempDir = tempDir;
        this.objectStore = fs.getUri().getScheme().startsWith("s3");
    }

    /** What writes a file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public void write(Path target, Body body) throws IOException {
        if (objectStore) {
            try (FSDataOutputStream out = fs.create(target, true)) {
                body.writeTo(out);
            }
            return;
        }
        Path temp = new Path(tempDir, target.getName() + "." + UUID.randomUUID());
        try (FSDataOutputStream out = fs.create(temp, true)) {
            body.writeTo(out);
            out.hsync();
        }
        fs.mkdirs(target.getParent());
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temp, target, Options.Rename.OVERWRITE);
    }
}
