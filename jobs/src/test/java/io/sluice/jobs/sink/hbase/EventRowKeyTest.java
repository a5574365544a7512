package io.sluice.jobs.sink.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventRowKeyTest {
    @Test
    void rowKeyIsSaltThenEventIdAndStable() {
        byte[] key = EventRowKey.of("evt-42", 16);
        assertThat(new String(key, StandardCharsets.UTF_8)).matches("[0-9a-f]{2}evt-42");
        assertThat(EventRowKey.of("evt-42", 16)).isEqualTo(key);
    }

    @Test
    void saltsSpreadOverEveryBucket() {
        Set<String> salts = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            salts.add(EventRowKey.salt("evt-" + i, 16));
        }
        assertThat(salts).hasSize(16);
    }

    @Test
    void splitKeysStartEveryBucketButTheFirst() {
        byte[][] splits = EventRowKey.splitKeys(16);
        assertThat(splits.length).isEqualTo(15);
        assertThat(new String(splits[0], StandardCharsets.UTF_8)).isEqualTo("01");
        assertThat(new String(splits[14], StandardCharsets.UTF_8)).isEqualTo("0f");
    }
}
