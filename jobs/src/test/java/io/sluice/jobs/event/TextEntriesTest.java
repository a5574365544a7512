package io.sluice.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEntriesTest {
    @Test
    void holdsEveryPairGivenAsAnImmutableMap() {
        TextEntries entries = new TextEntries();
        assertThat(entries.toMap()).isEmpty();
        for (int i = 0; i < 40; i++) { // past the first arrays' size
            entries.put("k" + i, "v" + i);
        }
        Map<String, String> map = entries.toMap();
        assertThat(map).hasSize(40).containsEntry("k0", "v0").containsEntry("k39", "v39");
        assertThat(Map.copyOf(map)).isSameAs(map); // an Event keeps it without copying
    }

    @Test
    void ofDuplicateNamesTheLastWins() {
        TextEntries entries = new TextEntries();
        entries.put("a", "1");
        entries.put("b", "2");
        entries.put("a", "3");
        assertThat(entries.size()).isEqualTo(3);
        assertThat(entries.toMap()).isEqualTo(Map.of("a", "3", "b", "2"));
    }
}
