package io.sluice.jobs.sink.archive;

import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Push ingestion's committed batches as the primary archive root holds them: the valid events of receiver block
 * {@code p} of the batch at offset {@code base} are in the published files named {@code http+<p>+<base>} (one per
 * event-time hour). Read back, a block's events are numbered from {@code base} in a fixed order (its files by path, each
 * line by line), so every reading gives each event the same position: the replay source of push ingestion, for a
 * job's rebuild ({@link ArchiveReplay}) and a lagging job's catch-up.
 */
public final class ArchivedBatches {
    private ArchivedBatches() {}

    /**
     * One receiver block of a committed batch.
     *
     * @param files the block's published files, kept in the order their lines are numbered (by path)
     * @param arrival the block's arrival from the file names, or {@link ArchiveLayout#NO_ARRIVAL}
     */
    public record Block(int partition, long base, long arrival, List<String> files) implements Serializable {
        public Block {
            files = files.stream().sorted().toList();
        }

        /** The same block with one more file. */
        Block with(String file) {
            List<String> more = new ArrayList<>(files);
            more.add(file);
            return new Block(partition, base, arrival, more);
        }

        /** The arrival of its events: the stamped one, or the batch time for a block stored before receivers stamped. */
        public long arrivalOrBatchTime() {
            return arrival == ArchiveLayout.NO_ARRIVAL ? base / PushSource.RECORDS_PER_BLOCK : arrival;
        }

        /**
         * The block's events, numbered from {@code base} in the order of {@link #read}: the same positions at every
         * reading.
         */
        public PartitionBatch parse(FileSystem fs, EventParser parser) throws IOException {
            List<byte[]> lines = new ArrayList<>();
            read(fs, lines::add);
            long arrival = arrivalOrBatchTime();
            SourceRange range = SourceRange.of(PushSource.NAME, partition, base, base + PushSource.RECORDS_PER_BLOCK);
            long[] next = {base};
            return parser.parseBatch(range, lines.iterator(), l -> next[0]++, l -> arrival, l -> l);
        }

        /** Hands every line of the block, in order, to {@code line}. */
        public void read(FileSystem fs, Consumer<byte[]> line) throws IOException {
            for (String file : files) {
                EventFormat.read(fs, new Path(file), line);
            }
        }
    }

    /** The published blocks of the push batches whose base lies in {@code [from, until)}, by base, then partition. */
    public static TreeMap<Long, List<Block>> list(FileSystem fs, ArchiveLayout layout, long from, long until)
            throws IOException {
        TreeMap<Long, TreeMap<Integer, Block>> found = new TreeMap<>();
        if (fs.exists(layout.eventsRoot())) {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(layout.eventsRoot(), true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                if (!EventFormat.isEventFile(file.getName())) {
                    continue;
                }
                ArchiveLayout.parseRangeName(file.getName())
                        .filter(r -> r.key().topic().equals(PushSource.NAME))
                        .filter(r -> r.from() >= from && r.from() < until)
                        .ifPresent(r -> found.computeIfAbsent(r.from(), b -> new TreeMap<>())
                                .merge(
                                        r.key().partition(),
                                        new Block(r.key().partition(), r.from(), r.arrival(), List.of(file.toString())),
                                        (block, one) -> block.with(file.toString())));
            }
        }
        TreeMap<Long, List<Block>> batches = new TreeMap<>();
        found.forEach((base, blocks) -> batches.put(base, List.copyOf(blocks.values())));
        return batches;
    }
}
