package io.sluice.jobs.sink.archive;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites each final event hour of the primary archive root ({@code events/dt=D/hour=H}, whose small per-batch files
 * no batch adds to any more) into files of about the target size, and marks it complete with {@code _SUCCESS}. Exactly
 * once and crash-safe at every step, with nothing but renames that fail when their target exists:
 *
 * <ol>
 *   <li>the compacted files are written into a directory of this attempt's own ({@code dt=D/_compacting-eE-hour=H.ID},
 *       hidden from readers), the marker last, and that directory is renamed to {@code dt=D/_compacting-eE-hour=H}:
 *       a compaction directory under that name is always complete;
 *   <li>{@code hour=H} is renamed to {@code _compacted-hour=H} (the small files leave the readers' view at once);
 *   <li>the complete compaction directory is renamed to {@code hour=H} (the compacted files and the marker appear at
 *       once);
 *   <li>{@code _compacted-hour=H} and other compaction directories of the hour are deleted.
 * </ol>
 *
 * Readers see the small files or the compacted ones, never both and never a partial file; between steps 2 and 3 the
 * hour is absent for the time of one rename. {@link #settle} finishes or undoes what a crash (or a deposed leader)
 * left: a missing {@code hour=H} next to {@code _compacted-hour=H} gets a complete compaction directory, or its small
 * files back. The groups and names of the compacted files are a function of the hour's small files alone ({@code
 * part-00000.parquet}, ...), so a compaction run again writes the same files. The small files are deleted only after
 * the compacted ones are published.
 */
public final class ArchiveCompactor {
    /** The marker of a complete hour (the Hadoop convention batch schedulers wait on). */
    public static final String MARKER = "_SUCCESS";

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCompactor.class);
    private static final Pattern HOUR = Pattern.compile("hour=(\\d{2})");
    private static final Pattern DAY = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern COMPACTING = Pattern.compile("_compacting-e(\\d+)-(hour=\\d{2})");
    private static final String COMPACTED = "_compacted-";
    private static final long HOUR_MS = 3_600_000L;

    private final FileSystem fs;
    private final ArchiveLayout layout;
    private final long targetBytes;
    private final long epoch;
    private final CompressionCodecName parquetCodec;
    private final Rewriter rewriter;
    private final Steps steps;

    /**
     * @param targetBytes the compacted files' size to aim at: an hour gets one file per {@code targetBytes} of small
     *     files, or part of it
     * @param parquetCodec the compression of compacted Parquet files
     * @param rewriter runs the rewrites (in this JVM, or as Spark tasks)
     */
    public ArchiveCompactor(
            FileSystem fs,
            ArchiveLayout layout,
            long targetBytes,
            long epoch,
            CompressionCodecName parquetCodec,
            Rewriter rewriter) {
        this(fs, layout, targetBytes, epoch, parquetCodec, rewriter, stepDelay(Long.getLong(STEP_DELAY_MS, 0)));
    }

    /**
     * A test-only JVM option: a pause before each step of a compaction, so that an end-to-end test can kill the driver
     * in the middle of one.
     */
    public static final String STEP_DELAY_MS = "sluice.test.compaction-step-delay-ms";

    private static Steps stepDelay(long ms) {
        if (ms <= 0) {
            return step -> {};
        }
        return step -> {
            LOG.info("compaction step {} in {} ms ({})", step, ms, STEP_DELAY_MS);
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("compaction interrupted before " + step);
            }
        };
    }

    ArchiveCompactor(
            FileSystem fs,
            ArchiveLayout layout,
            long targetBytes,
            long epoch,
            CompressionCodecName parquetCodec,
            Rewriter rewriter,
            Steps steps) {
        this.fs = fs;
        this.layout = layout;
        this.targetBytes = targetBytes;
        this.epoch = epoch;
        this.parquetCodec = parquetCodec;
        this.rewriter = rewriter;
        this.steps = steps;
    }

    /** Told before each step of a compaction (tests end a compaction there, as a crash would). */
    interface Steps {
        void before(String step) throws IOException;
    }

    /** Runs a compaction's rewrites. */
    @FunctionalInterface
    public interface Rewriter {
        void rewrite(List<Rewrite> rewrites) throws IOException;

        /** Each rewrite in turn, in this JVM. */
        static Rewriter local(FileSystem fs) {
            return rewrites -> {
                for (Rewrite r : rewrites) {
                    r.run(fs);
                }
            };
        }
    }

    /**
     * One compacted file: its small files, read in this order, and where it goes.
     *
     * @param codec Parquet's codec for a Parquet output; a JSON lines output keeps its inputs' compression
     */
    public record Rewrite(List<String> inputs, String output, String codec) implements Serializable {
        public Rewrite {
            inputs = List.copyOf(inputs);
        }

        /** Writes the output: a new file in a directory that must exist (never recreated if someone deleted it). */
        public void run(FileSystem fs) throws IOException {
            Path target = new Path(output);
            try (FSDataOutputStream out = fs.createNonRecursive(
                    target, false, 64 * 1024, fs.getDefaultReplication(target), fs.getDefaultBlockSize(target), null)) {
                if (output.endsWith(".parquet")) {
                    writeParquet(fs, out);
                } else {
                    writeLines(fs, out);
                }
                out.hsync();
            }
        }

        private void writeParquet(FileSystem fs, OutputStream out) throws IOException {
            MessageType schema = schemaOf(fs, new Path(inputs.get(0)));
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(ParquetEvents.outputFile(out))
                    .withType(schema)
                    .withConf(fs.getConf())
                    .withCompressionCodec(CompressionCodecName.valueOf(codec))
                    .build()) {
                for (String input : inputs) {
                    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(input))
                            .withConf(fs.getConf())
                            .build()) {
                        for (Group g = reader.read(); g != null; g = reader.read()) {
                            writer.write(g);
                        }
                    }
                }
            }
        }

        /** JSON lines files are compressed whole, so the compacted file is their decompressed lines compressed again. */
        private void writeLines(FileSystem fs, OutputStream out) throws IOException {
            try (OutputStream compressed = EventFormat.compressing(output, out)) {
                for (String input : inputs) {
                    try (InputStream in = EventFormat.decompressing(input, fs.open(new Path(input)))) {
                        IOUtils.copyBytes(in, compressed, 64 * 1024, false);
                    }
                }
            }
        }
    }

    /** What one hour's compaction did. */
    public record Compacted(String hour, int smallFiles, long smallBytes, int files, long bytes) {}

    /**
     * The event hours with files and no marker whose end is at or before {@code finalBefore} (epoch ms), oldest
     * first, as {@code events/dt=D/hour=H}.
     */
    public List<String> hoursBefore(long finalBefore) throws IOException {
        List<String> hours = new ArrayList<>();
        for (FileStatus day : list(layout.eventsRoot())) {
            Matcher d = DAY.matcher(day.getPath().getName());
            if (!day.isDirectory() || !d.matches()) {
                continue;
            }
            for (FileStatus hour : list(day.getPath())) {
                Matcher h = HOUR.matcher(hour.getPath().getName());
                if (!hour.isDirectory() || !h.matches()) {
                    continue;
                }
                long start = LocalDate.parse(d.group(1))
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .toEpochMilli()
                        + Integer.parseInt(h.group(1)) * HOUR_MS;
                if (start + HOUR_MS <= finalBefore && !fs.exists(new Path(hour.getPath(), MARKER))) {
                    hours.add("events/" + day.getPath().getName() + "/"
                            + hour.getPath().getName());
                }
            }
        }
        hours.sort(Comparator.naturalOrder());
        return hours;
    }

    /** The rewrites that compact the small files of {@code hour}, into {@code dir}: a function of the files alone. */
    public List<Rewrite> plan(List<FileStatus> small, Path dir) {
        List<Rewrite> rewrites = new ArrayList<>();
        List<FileStatus> sorted = new ArrayList<>(small);
        sorted.sort(Comparator.comparing(f -> f.getPath().getName()));
        // a run of files with one extension compacts into one or more files of that extension
        int start = 0;
        while (start < sorted.size()) {
            String ext = extension(sorted.get(start).getPath().getName());
            int end = start;
            long bytes = 0;
            while (end < sorted.size()
                    && extension(sorted.get(end).getPath().getName()).equals(ext)) {
                bytes += sorted.get(end).getLen();
                end++;
            }
            int outputs = (int) Math.max(1, (bytes + targetBytes - 1) / targetBytes);
            // cut where the bytes so far reach k/outputs of the run's: as even as the files allow
            long so = 0;
            List<String> group = new ArrayList<>();
            int k = 1;
            for (int i = start; i < end; i++) {
                group.add(sorted.get(i).getPath().toString());
                so += sorted.get(i).getLen();
                if (i == end - 1 || (k < outputs && so * outputs >= k * bytes)) {
                    String name = String.format("part-%05d%s", rewrites.size(), ext);
                    rewrites.add(new Rewrite(group, new Path(dir, name).toString(), parquetCodec.name()));
                    group = new ArrayList<>();
                    k++;
                }
            }
            start = end;
        }
        return rewrites;
    }

    /**
     * Compacts {@code hour} ({@code events/dt=D/hour=H}) if it is not yet: see the class comment. Returns what it
     * did, empty when the hour was compacted already, by this driver or another, or holds no files.
     */
    public Optional<Compacted> compact(String hour) throws IOException {
        settle(hour);
        Path visible = layout.published(hour);
        if (!fs.exists(visible) || fs.exists(new Path(visible, MARKER))) {
            return Optional.empty();
        }
        List<FileStatus> small = smallFiles(visible);
        if (small.isEmpty()) {
            return Optional.empty();
        }
        Path day = visible.getParent();
        String name = visible.getName();
        Path complete = new Path(day, "_compacting-e" + epoch + "-" + name);
        Path attempt = new Path(day, complete.getName() + "." + UUID.randomUUID());
        fs.delete(complete, true); // this epoch's own, from an attempt that failed after its rename
        fs.mkdirs(attempt);
        List<Rewrite> rewrites = plan(small, attempt);
        long bytes = 0;
        try {
            rewriter.rewrite(rewrites);
            steps.before("marker");
            try (FSDataOutputStream marker = fs.createNonRecursive(
                    new Path(attempt, MARKER),
                    false,
                    4096,
                    fs.getDefaultReplication(attempt),
                    fs.getDefaultBlockSize(attempt),
                    null)) {
                marker.hsync();
            }
            for (Rewrite r : rewrites) {
                bytes += fs.getFileStatus(new Path(r.output())).getLen();
            }
            steps.before("complete");
            rename(attempt, complete);
        } catch (IOException | RuntimeException e) {
            fs.delete(attempt, true);
            throw e;
        }
        if (!smallFiles(visible).equals(small)) { // a file was published into the hour after all: not final
            fs.delete(complete, true);
            throw new IOException("hour " + hour + " changed while it was compacted; it is not final");
        }
        Path compacted = new Path(day, COMPACTED + name);
        steps.before("hide");
        if (!tryRename(visible, compacted)) {
            settle(hour); // another driver is at it: settle what it left
            return Optional.empty();
        }
        steps.before("publish");
        if (!tryRename(complete, visible)) {
            settle(hour);
            return Optional.empty();
        }
        steps.before("delete");
        fs.delete(compacted, true);
        settle(hour);
        long smallBytes = small.stream().mapToLong(FileStatus::getLen).sum();
        LOG.info(
                "archive {}: compacted {} ({} files, {} bytes) into {} files of {} bytes",
                layout.root(),
                hour,
                small.size(),
                smallBytes,
                rewrites.size(),
                bytes);
        return Optional.of(new Compacted(hour, small.size(), smallBytes, rewrites.size(), bytes));
    }

    /**
     * Finishes or undoes, in every day of the root, what a compaction left midway (a crash, a deposed leader): at start
     * and before each pass. Returns the hours it changed (their replicas must mirror them again).
     */
    public List<String> settle() throws IOException {
        List<String> changed = new java.util.ArrayList<>();
        for (FileStatus day : list(layout.eventsRoot())) {
            if (!DAY.matcher(day.getPath().getName()).matches()) {
                continue;
            }
            java.util.Set<String> hours = new java.util.TreeSet<>();
            for (FileStatus child : list(day.getPath())) {
                String n = child.getPath().getName();
                Matcher c = COMPACTING.matcher(n.contains(".") ? n.substring(0, n.indexOf('.')) : n);
                if (c.matches()) {
                    hours.add(c.group(2));
                } else if (n.startsWith(COMPACTED)) {
                    hours.add(n.substring(COMPACTED.length()));
                }
            }
            for (String hour : hours) {
                String relative = "events/" + day.getPath().getName() + "/" + hour;
                if (settle(relative)) {
                    changed.add(relative);
                }
            }
        }
        return changed;
    }

    /** Settles one hour (see {@link #settle()}); true when it changed something. */
    private boolean settle(String hour) throws IOException {
        Path visible = layout.published(hour);
        Path day = visible.getParent();
        String name = visible.getName();
        Path compacted = new Path(day, COMPACTED + name);
        List<Path> complete = new ArrayList<>();
        List<Path> attempts = new ArrayList<>();
        for (FileStatus child : list(day)) {
            String n = child.getPath().getName();
            Matcher c = COMPACTING.matcher(n.contains(".") ? n.substring(0, n.indexOf('.')) : n);
            if (c.matches() && c.group(2).equals(name)) {
                long of = Long.parseLong(c.group(1));
                if (!n.contains(".")) {
                    complete.add(child.getPath());
                } else if (of < epoch) {
                    attempts.add(child.getPath()); // an older leader's attempt: never renamed, never will be usable
                }
            }
        }
        boolean changed = false;
        for (Path a : attempts) {
            changed |= fs.delete(a, true);
        }
        if (fs.exists(visible)) {
            if (fs.exists(new Path(visible, MARKER))) { // compacted: what is left is garbage
                changed |= fs.delete(compacted, true);
                for (Path c : complete) {
                    changed |= fs.delete(c, true);
                }
            } else if (fs.exists(compacted)) { // files published into an hour being compacted: put both together
                for (FileStatus f : list(compacted)) {
                    tryRename(f.getPath(), new Path(visible, f.getPath().getName()));
                }
                fs.delete(compacted, true);
                changed = true;
            }
            return changed;
        }
        if (!fs.exists(compacted)) {
            return changed;
        }
        for (Path c : complete) { // between steps 2 and 3: publish a complete compaction
            if (tryRename(c, visible)) {
                LOG.info("archive {}: finished the compaction of {} a driver left midway", layout.root(), hour);
                fs.delete(compacted, true);
                return true;
            }
        }
        if (!fs.exists(visible) && tryRename(compacted, visible)) {
            LOG.info("archive {}: rolled back a compaction of {} left midway", layout.root(), hour);
            return true;
        }
        return changed;
    }

    private List<FileStatus> smallFiles(Path hour) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : list(hour)) {
            if (f.isFile() && EventFormat.isEventFile(f.getPath().getName())) {
                files.add(f);
            }
        }
        files.sort(Comparator.comparing(f -> f.getPath().getName()));
        return files;
    }

    private boolean tryRename(Path from, Path to) throws IOException {
        try {
            rename(from, to);
            return true;
        } catch (FileNotFoundException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (!fs.exists(from) || fs.exists(to)) {
                return false; // lost a race with another driver: settle decides
            }
            throw e;
        }
    }

    private void rename(Path from, Path to) throws IOException {
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(from, to, Options.Rename.NONE);
    }

    private FileStatus[] list(Path dir) throws IOException {
        return ArchiveFiles.list(fs, dir);
    }

    private static String extension(String name) {
        String base = EventFormat.baseName(name).orElse(name);
        return name.substring(base.length());
    }

    private static MessageType schemaOf(FileSystem fs, Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, fs.getConf()))) {
            return reader.getFileMetaData().getSchema();
        }
    }
}
