package io.sluice.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes committed offsets as readable JSON:
 * {@code {"version": 3, "offsets": {"topic": {"0": 1200}}, "replay": {"topic": {"0": {"from": 900, "clock_at_from":
 * ..., "clock": ..., "floors": {"1100": ...}}}}, "stage": "e4-b1767225600000", "settings": {"sluice.job.results.window-ms": "60000", ...}, "lagging": {"event-store": {"topic": {"0": 1100}}}}}.
 * Also reads version 3 (no lagging jobs), version 2 (no stage) and the first format,
 * {@code {"topic": {"0": 1200}}}, written before replay positions existed, so an upgraded driver resumes from a node
 * an older one wrote.
 */
final class OffsetsCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 4;

    private OffsetsCodec() {}

    static byte[] encode(CommittedOffsets offsets) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode next = root.putObject("offsets");
        offsets.asMap().forEach((key, offset) -> topic(next, key).put(Integer.toString(key.partition()), offset));
        ObjectNode replay = root.putObject("replay");
        offsets.replay().forEach((key, position) -> {
            ObjectNode p = topic(replay, key).putObject(Integer.toString(key.partition()));
            p.put("from", position.from());
            p.put("clock_at_from", position.clockAtFrom());
            p.put("clock", position.clock());
            if (!position.floors().isEmpty()) {
                ObjectNode floors = p.putObject("floors");
                position.floors().forEach((offset, clock) -> floors.put(Long.toString(offset), clock));
            }
        });
        root.put("stage", offsets.stage());
        ObjectNode settings = root.putObject("settings");
        offsets.settings().forEach(settings::put);
        ObjectNode lagging = root.putObject("lagging");
        offsets.lagging().forEach((job, positions) -> {
            ObjectNode own = lagging.putObject(job);
            positions.forEach((key, offset) -> topic(own, key).put(Integer.toString(key.partition()), offset));
        });
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CommittedOffsets decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return CommittedOffsets.empty();
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            boolean versioned = root.path("version").isInt();
            TreeMap<TopicPartitionKey, Long> offsets = new TreeMap<>();
            each(versioned ? root.path("offsets") : root, (key, node) -> offsets.put(key, number(node, key)));
            TreeMap<TopicPartitionKey, ReplayPosition> replay = new TreeMap<>();
            if (versioned) {
                each(
                        root.path("replay"),
                        (key, node) -> replay.put(
                                key,
                                new ReplayPosition(
                                        number(node.path("from"), key),
                                        number(node.path("clock_at_from"), key),
                                        number(node.path("clock"), key),
                                        floors(node.path("floors"), key))));
            }
            TreeMap<String, String> settings = new TreeMap<>();
            root.path("settings")
                    .fields()
                    .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            CommittedOffsets decoded = CommittedOffsets.of(offsets)
                    .withReplay(replay)
                    .withStage(root.path("stage").asText(""))
                    .withSettings(settings);
            Iterator<Map.Entry<String, JsonNode>> jobs = root.path("lagging").fields();
            while (jobs.hasNext()) {
                Map.Entry<String, JsonNode> job = jobs.next();
                TreeMap<TopicPartitionKey, Long> positions = new TreeMap<>();
                each(job.getValue(), (key, node) -> positions.put(key, number(node, key)));
                decoded = decoded.withLagging(job.getKey(), positions);
            }
            return decoded;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable committed offsets in ZooKeeper: " + e.getMessage(), e);
        }
    }

    private static TreeMap<Long, Long> floors(JsonNode node, TopicPartitionKey key) {
        TreeMap<Long, Long> floors = new TreeMap<>();
        node.fields().forEachRemaining(f -> floors.put(Long.parseLong(f.getKey()), number(f.getValue(), key)));
        return floors;
    }

    private static ObjectNode topic(ObjectNode parent, TopicPartitionKey key) {
        JsonNode existing = parent.get(key.topic());
        return existing instanceof ObjectNode node ? node : parent.putObject(key.topic());
    }

    private static void each(JsonNode byTopic, java.util.function.BiConsumer<TopicPartitionKey, JsonNode> action) {
        Iterator<Map.Entry<String, JsonNode>> topics = byTopic.fields();
        while (topics.hasNext()) {
            Map.Entry<String, JsonNode> topic = topics.next();
            Iterator<Map.Entry<String, JsonNode>> partitions = topic.getValue().fields();
            while (partitions.hasNext()) {
                Map.Entry<String, JsonNode> p = partitions.next();
                action.accept(new TopicPartitionKey(topic.getKey(), Integer.parseInt(p.getKey())), p.getValue());
            }
        }
    }

    private static long number(JsonNode node, TopicPartitionKey key) {
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("expected a whole number for " + key + ", got " + node);
        }
        return node.asLong();
    }
}
