package io.sluice.bench;

import io.sluice.api.config.Config;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.sink.archive.ArchiveCompactor;
import io.sluice.testkit.verify.ArchiveContents;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * What an archive root holds and writes: its files as the batches landed them, then after every hour was compacted
 * by the driver's own {@link ArchiveCompactor} (at the run's target size and codec), as it does once an hour is
 * final. A replica root holds the same files (it copies the primary's, small ones as they land, then the compacted
 * ones), so the figures are per root.
 *
 * @param hours the partition-hours (events) compacted
 * @param landedFiles the data files (events and dead letters) the batches wrote, markers and checksums left out
 * @param landedBytes their bytes
 * @param compactedFiles the data files after compaction
 * @param compactedBytes their bytes: what each root keeps
 * @param rewrittenBytes the bytes the compaction wrote (the compacted files)
 * @param compactionSeconds how long the compaction of every hour took, in this JVM (one thread)
 */
record ArchiveFootprint(
        int hours,
        int landedFiles,
        long landedBytes,
        int compactedFiles,
        long compactedBytes,
        long rewrittenBytes,
        double compactionSeconds) {

    /** Compacts every hour of the primary root {@code config} names, in place, and says what it held before and after. */
    static ArchiveFootprint measure(Config config, Configuration hadoop) throws IOException {
        return measure(config, config.getList(ArchiveJob.ROOTS).get(0), hadoop);
    }

    /**
     * {@code ./bin/sluice bench --archive-footprint FILE}: copies the primary archive root of a driver's properties
     * (a demo's {@code demo-data/sluice-demo.properties}, after the demo stopped) into {@code workDir}, compacts every
     * hour of the copy as the driver compacts a final one, and prints the files and bytes per archived record before
     * and after. The root itself is left as it is.
     */
    static int reportOnCopy(java.nio.file.Path properties, java.nio.file.Path workDir, PrintStream out)
            throws IOException {
        SluiceSettings settings = SettingsLoader.load(properties, List.of());
        Configuration hadoop = ExecutorHadoop.configuration(settings.pipeline().hadoopProperties());
        String root = settings.pipeline().archiveRoots().get(0);
        FileSystem fs = FileSystem.get(URI.create(root), hadoop);
        FileSystem local = FileSystem.getLocal(hadoop);
        Path copy = new Path(workDir.resolve("archive-copy").toUri());
        local.delete(copy, true);
        if (!FileUtil.copy(fs, new Path(root), local, copy, false, hadoop)) {
            throw new IOException("could not copy " + root + " to " + copy);
        }
        ArchiveContents before = ArchiveContents.read(local, copy.toString());
        long records = before.lines() + before.deadLetters();
        ArchiveFootprint f = measure(settings.config(), copy.toString(), hadoop);
        ArchiveContents after = ArchiveContents.read(local, copy.toString());
        if (after.lines() != before.lines() || !after.eventIdCounts().equals(before.eventIdCounts())) {
            throw new IOException("the compacted copy holds other events than the root: " + after.lines()
                    + " event lines, " + before.lines() + " before");
        }
        out.printf(
                Locale.ROOT,
                "archive %s: %,d events and %,d dead letters in %d event hours%n"
                        + "  as landed: %,d files, %,d bytes, %.1f B per record%n"
                        + "  compacted: %,d files, %,d bytes, %.1f B per record (written in all: %.1f B per record),"
                        + " in %.1f s%n",
                root,
                before.lines(),
                before.deadLetters(),
                f.hours(),
                f.landedFiles(),
                f.landedBytes(),
                (double) f.landedBytes() / records,
                f.compactedFiles(),
                f.compactedBytes(),
                f.storedPerEvent(records),
                f.writtenPerEvent(records),
                f.compactionSeconds());
        return 0;
    }

    private static ArchiveFootprint measure(Config config, String root, Configuration hadoop) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(root), hadoop);
        long[] before = dataFiles(fs, new Path(root));
        ArchiveCompactor compactor = ArchiveJob.compactor(config, root, fs, 0, ArchiveCompactor.Rewriter.local(fs));
        int hours = 0;
        long rewritten = 0;
        long started = System.nanoTime();
        for (String hour : compactor.hoursBefore(Long.MAX_VALUE)) {
            var done = compactor.compact(hour);
            if (done.isPresent()) {
                hours++;
                rewritten += done.get().bytes();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] after = dataFiles(fs, new Path(root));
        return new ArchiveFootprint(hours, (int) before[0], before[1], (int) after[0], after[1], rewritten, seconds);
    }

    /** Bytes per event the root keeps. */
    double storedPerEvent(long events) {
        return (double) compactedBytes / events;
    }

    /** Bytes per event the root writes: the landed files, then the compacted ones that replace them. */
    double writtenPerEvent(long events) {
        return (double) (landedBytes + rewrittenBytes) / events;
    }

    /** The files and bytes under {@code dir} that readers read: no checksums, markers or hidden files. */
    private static long[] dataFiles(FileSystem fs, Path dir) throws IOException {
        long[] counted = new long[2];
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String name = f.getPath().getName();
            if (!name.endsWith(".crc") && !name.startsWith("_") && !name.startsWith(".")) {
                counted[0]++;
                counted[1] += f.getLen();
            }
        }
        return counted;
    }
}
