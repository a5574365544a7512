package io.sluice.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Encodes committed offsets as readable JSON: {@code {"topic": {"0": 1200, "1": 1187}}}. */
final class OffsetsCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, TreeMap<Integer, Long>>> SHAPE = new TypeReference<>() {};

    private OffsetsCodec() {}

    static byte[] encode(CommittedOffsets offsets) {
        TreeMap<String, TreeMap<Integer, Long>> byTopic = new TreeMap<>();
        offsets.asMap().forEach((key, next) -> byTopic.computeIfAbsent(key.topic(), t -> new TreeMap<>())
                .put(key.partition(), next));
        try {
            return JSON.writeValueAsBytes(byTopic);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CommittedOffsets decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return CommittedOffsets.empty();
        }
        try {
            TreeMap<TopicPartitionKey, Long> offsets = new TreeMap<>();
            for (Map.Entry<String, TreeMap<Integer, Long>> topic :
                    JSON.readValue(bytes, SHAPE).entrySet()) {
                topic.getValue().forEach((p, next) -> offsets.put(new TopicPartitionKey(topic.getKey(), p), next));
            }
            return CommittedOffsets.of(offsets);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable committed offsets in ZooKeeper: " + e.getMessage(), e);
        }
    }
}
