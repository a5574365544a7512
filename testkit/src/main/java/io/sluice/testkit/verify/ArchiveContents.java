package io.sluice.testkit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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

    public static ArchiveContents read(FileSystem fs, String root) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        long[] lines = {0};
        forEachLine(fs, new Path(root, "events"), line -> {
            lines[0]++;
            ids.merge(JSON.readTree(line).path("event_id").asText(), 1, Integer::sum);
        });
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

    private interface LineConsumer {
        void accept(String line) throws IOException;
    }

    private static void forEachLine(FileSystem fs, Path dir, LineConsumer consumer) throws IOException {
        RemoteIterator<LocatedFileStatus> files;
        try {
            files = fs.listFiles(dir, true);
        } catch (FileNotFoundException e) {
            return;
        }
        while (files.hasNext()) {
            Path file = files.next().getPath();
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
