package io.sluice.testkit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobs.sink.archive.EventFormat;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Reads an archive root back: how often each event id appears under {@code events/}, the pipeline's dead letters by
 * reason, and the dead letters each job made for itself ({@code job/reason}).
 */
public record ArchiveContents(
        String root,
        Map<String, Integer> eventIdCounts,
        long lines,
        long deadLetters,
        Map<String, Long> deadLetterReasons,
        Map<String, Long> jobDeadLetters) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code root} as a reader that waits out a compaction would: a read during which an hour was being swapped
     * (a {@code _compacted-} directory present, or a file gone or added) is read again, for up to a minute.
     */
    public static ArchiveContents read(FileSystem fs, String root) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<Path> before = inFlux(fs, root);
            try {
                ArchiveContents read = readOnce(fs, root);
                List<Path> after = inFlux(fs, root);
                if (before != null && before.equals(after)) {
                    return read;
                }
            } catch (FileNotFoundException e) {
                // a file compacted away under the read
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the archive " + root + " kept changing under a compaction for a minute");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
    }

    /** The visible event files of a root, or null while a compaction is between its renames. */
    private static List<Path> inFlux(FileSystem fs, String root) throws IOException {
        RemoteIterator<LocatedFileStatus> all;
        try {
            all = fs.listFiles(new Path(root, "events"), true);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        List<Path> files;
        try {
            while (all.hasNext()) {
                if (all.next().getPath().getParent().getName().startsWith("_compacted-")) {
                    return null;
                }
            }
            files = new ArrayList<>(visibleFiles(fs, new Path(root, "events")));
        } catch (FileNotFoundException e) {
            return null; // a directory renamed under the listing
        }
        files.sort(null);
        return files;
    }

    private static ArchiveContents readOnce(FileSystem fs, String root) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        long[] lines = {0};
        for (Path file : visibleFiles(fs, new Path(root, "events"))) {
            if (EventFormat.isEventFile(file.getName())) {
                EventFormat.read(fs, file, raw -> {
                    lines[0]++;
                    ids.merge(eventId(raw), 1, Integer::sum);
                });
            }
        }
        Map<String, Long> reasons = new HashMap<>();
        Map<String, Long> jobs = new HashMap<>();
        long[] dead = {0};
        forEachLine(fs, new Path(root, "dead-letter"), line -> {
            JsonNode node = JSON.readTree(line);
            String job = node.path("job").asText("");
            if (job.isEmpty()) {
                dead[0]++;
                reasons.merge(node.path("reason").asText(), 1L, Long::sum);
            } else { // valid for the pipeline (archived under events/), rejected by one job for itself
                jobs.merge(job + "/" + node.path("reason").asText(), 1L, Long::sum);
            }
        });
        return new ArchiveContents(root, ids, lines[0], dead[0], reasons, jobs);
    }

    private static String eventId(byte[] raw) {
        try {
            return JSON.readTree(raw).path("event_id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the archive holds an event that is not JSON", e);
        }
    }

    /**
     * The files under {@code dir} as Hadoop and Spark readers see them: none whose path below {@code dir} has a part
     * starting with {@code _} or {@code .} (stages, compactions under way, temporary files, markers).
     */
    public static List<Path> visibleFiles(FileSystem fs, Path dir) throws IOException {
        RemoteIterator<LocatedFileStatus> files;
        try {
            files = fs.listFiles(dir, true);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        String prefix = fs.makeQualified(dir).toUri().getPath() + "/";
        List<Path> visible = new ArrayList<>();
        while (files.hasNext()) {
            Path file = files.next().getPath();
            String relative = file.toUri().getPath().substring(prefix.length());
            if (java.util.Arrays.stream(relative.split("/")).noneMatch(p -> p.startsWith("_") || p.startsWith("."))) {
                visible.add(file);
            }
        }
        return visible;
    }

    private interface LineConsumer {
        void accept(String line) throws IOException;
    }

    private static void forEachLine(FileSystem fs, Path dir, LineConsumer consumer) throws IOException {
        for (Path file : visibleFiles(fs, dir)) {
            if (!file.getName().endsWith(".jsonl")) {
                continue;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        consumer.accept(line);
                    }
                }
            }
        }
    }
}
