package io.sluice.jobs.sink.archive;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention ({@code sluice.job.archive.retention-days}): whole event hours ending at or before a cutoff are deleted
 * from a root, each deletion logged, with the days left empty and the dead-letter files last modified before the
 * cutoff. The primary's are deleted by its driver side, a replica's by its replicator.
 */
public final class ArchiveRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRetention.class);
    private static final Pattern DAY = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern HOUR = Pattern.compile("(?:_compacted-|_compacting-e\\d+-)?hour=(\\d{2})(?:\\..*)?");
    private static final long HOUR_MS = 3_600_000L;

    private ArchiveRetention() {}

    /** Deletes from {@code layout}'s root every hour ending at or before {@code cutoff}; returns how many. */
    public static int deleteHoursBefore(FileSystem fs, ArchiveLayout layout, long cutoff) throws IOException {
        if (cutoff == Long.MIN_VALUE) {
            return 0;
        }
        int deleted = 0;
        for (FileStatus day : list(fs, layout.eventsRoot())) {
            Matcher d = DAY.matcher(day.getPath().getName());
            if (!day.isDirectory() || !d.matches()) {
                continue;
            }
            long dayStart = LocalDate.parse(d.group(1))
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
            if (dayStart >= cutoff) {
                continue;
            }
            int left = 0;
            for (FileStatus hour : list(fs, day.getPath())) {
                Matcher h = HOUR.matcher(hour.getPath().getName());
                if (h.matches() && dayStart + (Integer.parseInt(h.group(1)) + 1) * HOUR_MS <= cutoff) {
                    fs.delete(hour.getPath(), true);
                    if (hour.getPath().getName().startsWith("hour=")) {
                        LOG.info("archive {}: deleted {} (past retention)", layout.root(), hour.getPath());
                        deleted++;
                    }
                } else {
                    left++;
                }
            }
            if (left == 0) {
                fs.delete(day.getPath(), true);
            }
        }
        RemoteIterator<LocatedFileStatus> dead;
        try {
            dead = fs.listFiles(layout.deadLetterRoot(), true);
        } catch (FileNotFoundException e) {
            return deleted;
        }
        int deadDeleted = 0;
        while (dead.hasNext()) {
            LocatedFileStatus f = dead.next();
            if (f.getModificationTime() > 0 && f.getModificationTime() <= cutoff && fs.delete(f.getPath(), false)) {
                deadDeleted++;
            }
        }
        if (deadDeleted > 0) {
            LOG.info("archive {}: deleted {} dead-letter files (past retention)", layout.root(), deadDeleted);
        }
        return deleted;
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        return ArchiveFiles.list(fs, dir);
    }
}
