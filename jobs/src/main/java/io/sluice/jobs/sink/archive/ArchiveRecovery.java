package io.sluice.jobs.sink.archive;

import io.sluice.checkpoint.CommittedOffsets;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's side of the commit protocol, run on the driver (see docs/commit-protocol.md):
 *
 * <ul>
 *   <li>{@link #publish} right after a batch's commit: the batch's staged files move to their final names, then the
 *       stage is deleted, with any stage a deposed leader (an older epoch) wrote meanwhile.
 *   <li>{@link #recover} at start, before the first batch: the stage of the last committed batch is published if its
 *       driver died before doing so (roll forward); every other stage of an epoch up to the starting driver's own
 *       belongs to a batch that never committed and is deleted (roll back). A stage of a newer epoch is left alone:
 *       it is the new leader's, and this driver was deposed during its own start-up.
 *   <li>{@link #rollForward} from outside a driver (a verifier, a stopping driver): only the roll forward, which
 *       deletes nothing and can run at any time, as often as wanted, next to a running leader.
 * </ul>
 *
 * <p>Only files with visible names are published: a name starting with {@code .} or {@code _} is a task attempt's
 * temporary file ({@link ArchiveFiles#write}) that never completed.
 *
 * Files reach their final names only for committed batches, so a driver that was deposed while its tasks were
 * writing (frozen, partitioned) cannot leave a file that overlaps the new leader's, however the two cut their
 * batches.
 */
public final class ArchiveRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRecovery.class);
    private final FileSystem fs;
    private final ArchiveLayout layout;
    private final ArchiveFiles files;

    private final Consumer<String> published;

    public ArchiveRecovery(FileSystem fs, ArchiveLayout layout) {
        this(fs, layout, file -> {});
    }

    /** @param published told the name of every file published, relative to the root (for a replica to copy it) */
    public ArchiveRecovery(FileSystem fs, ArchiveLayout layout, Consumer<String> published) {
        this.fs = fs;
        this.layout = layout;
        this.files = new ArchiveFiles(fs);
        this.published = published;
    }

    /** What recovery found: the files of the committed stage it published and the uncommitted stages it deleted. */
    public record Report(int filesPublished, int stagesRolledBack, int legacyFilesDeleted) {}

    /**
     * Recovery at the start of the driver that took {@code epoch}: publishes the committed stage, then deletes every
     * other stage except those of newer epochs (see the class comment). The caller must check afterwards that its
     * epoch is still the newest: if it is not, it was deposed while recovering and must stop.
     */
    public Report recover(CommittedOffsets committed, long epoch) throws IOException {
        int published = rollForward(committed);
        int rolledBack = 0;
        for (FileStatus stage : list(layout.stagingDir())) {
            OptionalLong stageEpoch = ArchiveLayout.stageEpoch(stage.getPath().getName());
            if (stageEpoch.isPresent() && stageEpoch.getAsLong() > epoch) {
                LOG.warn(
                        "archive {}: leaving stage {} of epoch {} alone: a newer leader than this driver's epoch {}"
                                + " writes it",
                        layout.root(),
                        stage.getPath().getName(),
                        stageEpoch.getAsLong(),
                        epoch);
                continue;
            }
            fs.delete(stage.getPath(), true);
            rolledBack++;
        }
        int legacy = rollBackLegacyMarkers(committed);
        if (published + rolledBack + legacy > 0) {
            LOG.info(
                    "archive {}: published {} files of the committed stage {}, deleted {} uncommitted stages{}",
                    layout.root(),
                    published,
                    committed.stage().isEmpty() ? "(none)" : committed.stage(),
                    rolledBack,
                    legacy > 0 ? " and " + legacy + " files of uncommitted pre-staging ranges" : "");
        }
        return new Report(published, rolledBack, legacy);
    }

    /**
     * Publishes the stage that {@code committed} names (the last committed batch's), if its files are still staged.
     * Idempotent and safe next to a running leader or another driver doing the same: it deletes no other stage.
     * Returns the number of files published (0 when there was nothing left to publish).
     */
    public int rollForward(CommittedOffsets committed) throws IOException {
        return committed.stage().isEmpty() ? 0 : publishStage(committed.stage());
    }

    /**
     * Publishes the stage of a batch just committed under {@code epoch}, then deletes stages of older epochs (a
     * deposed leader's uncommitted writes). Returns the number of files published. A failure is thrown: the caller
     * must stop before the next commit replaces the record of this stage, so that a restart rolls it forward.
     */
    public int publish(String stage, long epoch) throws IOException {
        int published = publishStage(stage);
        for (FileStatus other : list(layout.stagingDir())) {
            OptionalLong otherEpoch = ArchiveLayout.stageEpoch(other.getPath().getName());
            if (otherEpoch.isPresent() && otherEpoch.getAsLong() < epoch) {
                LOG.warn("archive {}: deleting stage {} of a deposed leader", layout.root(), other.getPath());
                fs.delete(other.getPath(), true);
            }
        }
        return published;
    }

    private int publishStage(String stage) throws IOException {
        Path dir = layout.stageDir(stage);
        String prefix = fs.makeQualified(dir).toUri().getPath() + "/";
        List<Path> staged = new ArrayList<>();
        try {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
            while (it.hasNext()) {
                Path file = it.next().getPath();
                if (!ArchiveFiles.isTemporary(file)) {
                    staged.add(file);
                }
            }
        } catch (FileNotFoundException e) {
            return 0; // nothing staged, or published and deleted already
        }
        for (Path file : staged) {
            String path = file.toUri().getPath();
            if (!path.startsWith(prefix)) {
                throw new IOException("staged file " + file + " is not under its stage " + dir);
            }
            String relative = path.substring(prefix.length());
            files.move(file, layout.published(relative));
            published.accept(relative);
        }
        fs.delete(dir, true);
        return staged.size();
    }

    /**
     * Archives written before the staging existed named a range's final files in a {@code _pending} marker before
     * writing them: files of ranges at or past the committed offset were never committed and are deleted.
     */
    private int rollBackLegacyMarkers(CommittedOffsets committed) throws IOException {
        int deleted = 0;
        for (FileStatus marker : list(new Path(layout.root() + "/_pending"))) {
            var start = ArchiveLayout.parseRangeName(marker.getPath().getName());
            if (start.isEmpty()) {
                continue;
            }
            OptionalLong next = committed.next(start.get().key());
            if (next.isEmpty() || start.get().from() >= next.getAsLong()) {
                for (Path file : readMarker(marker.getPath())) {
                    if (fs.delete(file, false)) {
                        deleted++;
                    }
                }
            }
            fs.delete(marker.getPath(), false);
        }
        fs.delete(new Path(layout.root() + "/_tmp"), true);
        return deleted;
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
        return ArchiveFiles.list(fs, dir);
    }
}
