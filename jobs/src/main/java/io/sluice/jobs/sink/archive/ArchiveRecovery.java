package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's side of the commit protocol, run on the driver (see docs/commit-protocol.md):
 *
 * <ul>
 *   <li>{@link #recover} at start, before the first batch: every range whose start is at or past the committed
 *       offset was never committed, so its files are deleted (the run that follows writes those offsets again, maybe
 *       cut differently); markers of committed ranges are dropped; {@code _tmp/} is emptied.
 *   <li>{@link #forget} after a commit: the markers of the committed ranges are no longer needed.
 * </ul>
 */
public final class ArchiveRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRecovery.class);
    private final FileSystem fs;
    private final ArchiveLayout layout;

    public ArchiveRecovery(FileSystem fs, ArchiveLayout layout) {
        this.fs = fs;
        this.layout = layout;
    }

    /** What recovery found: uncommitted ranges rolled back and the files deleted with them. */
    public record Report(int rangesRolledBack, int filesDeleted) {}

    public Report recover(CommittedOffsets committed) throws IOException {
        int ranges = 0;
        int files = 0;
        for (FileStatus marker : list(layout.pendingDir())) {
            var start = ArchiveLayout.parseRangeName(marker.getPath().getName());
            if (start.isEmpty()) {
                continue;
            }
            OptionalLong next = committed.next(start.get().key());
            if (next.isEmpty() || start.get().from() >= next.getAsLong()) {
                for (Path file : readMarker(marker.getPath())) {
                    if (fs.delete(file, false)) {
                        files++;
                    }
                }
                ranges++;
            }
            fs.delete(marker.getPath(), false);
        }
        fs.delete(layout.tempDir(), true);
        if (ranges > 0) {
            LOG.info(
                    "archive {}: rolled back {} uncommitted ranges ({} files) past the committed offsets {}",
                    layout.root(),
                    ranges,
                    files,
                    committed);
        }
        return new Report(ranges, files);
    }

    /** Drops the markers of committed ranges; best effort, since {@link #recover} drops leftovers. */
    public void forget(List<SourceRange> committedRanges) {
        for (SourceRange range : committedRanges) {
            try {
                fs.delete(layout.pendingMarker(range), false);
            } catch (IOException e) {
                LOG.warn("could not drop pending marker of committed range {}: {}", range, e.toString());
            }
        }
    }

    private List<Path> readMarker(Path marker) throws IOException {
        List<Path> files = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(marker), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    files.add(fs.makeQualified(new Path(line.trim())));
                }
            }
        }
        return files;
    }

    private FileStatus[] list(Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }
}
