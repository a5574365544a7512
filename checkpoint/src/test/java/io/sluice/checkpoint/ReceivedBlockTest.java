package io.sluice.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedBlockTest {
    @Test
    void aStampedBlockOpensToItsArrivalAndItsLines() {
        ReceivedBlock.Opened opened =
                ReceivedBlock.open(ReceivedBlock.stamped(1_733_000_000_123L, lines("{\"a\":1}", "{\"b\":2}")));
        assertThat(opened.arrival()).hasValue(1_733_000_000_123L);
        assertThat(strings(opened.lines())).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void aBlockStoredWithoutAStampKeepsItsFirstLine() {
        ReceivedBlock.Opened opened = ReceivedBlock.open(lines("{\"a\":1}", "{\"b\":2}"));
        assertThat(opened.arrival()).isEmpty();
        assertThat(strings(opened.lines())).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void aSendersLineThatLooksLikeAStampIsALineWhenItIsNotFirst() {
        ReceivedBlock.Opened forged = ReceivedBlock.open(ReceivedBlock.stamped(5, lines("\u0000sluice-arrival 9")));
        assertThat(forged.arrival()).hasValue(5);
        assertThat(strings(forged.lines())).containsExactly("\u0000sluice-arrival 9");
    }

    @Test
    void emptyBlocksOpenEmpty() {
        assertThat(ReceivedBlock.open(lines()).lines().hasNext()).isFalse();
        ReceivedBlock.Opened stampOnly = ReceivedBlock.open(ReceivedBlock.stamped(7, lines()));
        assertThat(stampOnly.arrival()).hasValue(7);
        assertThat(stampOnly.lines().hasNext()).isFalse();
    }

    private static Iterator<byte[]> lines(String... lines) {
        List<byte[]> bytes = new ArrayList<>();
        for (String line : lines) {
            bytes.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.iterator();
    }

    private static List<String> strings(Iterator<byte[]> lines) {
        List<String> out = new ArrayList<>();
        lines.forEachRemaining(b -> out.add(new String(b, StandardCharsets.UTF_8)));
        return out;
    }
}
